"""The mock bank's business operations, independent of HTTP, one module per resource.

:class:`Bank` composes the resources over one shared core (database, risk rules, clock); see
:mod:`mock_api.bank.core` for how each operation runs in one transaction.
"""

from __future__ import annotations

from mock_api.bank.accounts import Accounts
from mock_api.bank.admin import Admin
from mock_api.bank.bills import Bills
from mock_api.bank.handoffs import Handoffs
from mock_api.bank.help import HelpDesk
from mock_api.bank.payees import Payees
from mock_api.bank.payments import Payments
from mock_api.bank.personal import Personal
from mock_api.bank.sessions import Sessions


class Bank(Sessions, Accounts, Payees, Bills, HelpDesk, Payments, Handoffs, Personal, Admin):
    """Every operation of the mock bank, over one database, one set of risk rules and one clock."""


__all__ = ["Bank"]
