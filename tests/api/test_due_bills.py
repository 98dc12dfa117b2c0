"""Bills due now: the bank lists a customer's unpaid bills of this month, so Home can offer them
from the first visit (a new customer need not pay a monthly bill twice before it is a shortcut)."""

from __future__ import annotations

import httpx

from tests.api.helpers import ok, sign_in
from tests.demo import LI_MEI, LI_MEI_ELECTRICITY, WANG_FANG


def test_a_new_customer_has_her_bill_due_until_it_is_paid(http: httpx.Client) -> None:
    li_mei = sign_in(http, LI_MEI)
    due = ok(li_mei.get("/v1/bills/due"))
    assert [(b["biller_id"], b["customer_number"], b["amount_minor"], b["paid"]) for b in due] == [
        (LI_MEI_ELECTRICITY.biller_id, LI_MEI_ELECTRICITY.customer_number, LI_MEI_ELECTRICITY.amount_minor, False)
    ]
    # The same bill as a look-up finds: paying it once settles both.
    looked_up = ok(
        li_mei.post(
            "/v1/bills/lookup",
            {"biller_id": LI_MEI_ELECTRICITY.biller_id, "customer_number": LI_MEI_ELECTRICITY.customer_number},
        )
    )
    assert looked_up["id"] == due[0]["id"]
    li_mei.pay_fully(due[0]["amount_minor"], bill_id=due[0]["id"])
    assert ok(li_mei.get("/v1/bills/due")) == []


def test_bills_due_are_the_customers_own(http: httpx.Client) -> None:
    assert ok(sign_in(http, WANG_FANG).get("/v1/bills/due")) == []
    assert http.get("/v1/bills/due").status_code == 401
