"""CalmPay's mock payment API: FastAPI over a SQLite double-entry ledger, with a risk engine
and fault injection. Runs embedded in the kiosk (see :mod:`mock_api.server`) or standalone
(``python -m mock_api``)."""
