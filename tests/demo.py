"""The mock bank's demo cards, for every test: one place, written out.

The values are written out on purpose (not imported from ``mock_api.seed``): the tests check
the documented demo cards (README: "Demo cards and magic values"), so a change to the seed that
breaks the documentation breaks a test. tests/unit/test_demo.py checks that they still equal
the seed's data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoCard:
    number: str
    pin: str
    customer_id: str
    account_id: str  # the main (current) account
    name: str  # the customer's name, as the bank and the card reader give it

    @property
    def seeded_minor(self) -> int:
        """The main account's balance in a freshly seeded database."""
        return SEEDED_BALANCES[self.account_id]


WANG_FANG = DemoCard("6222020000000001", "1234", "cus_wangfang", "acc_wangfang_current", "王芳 Wang Fang")
LI_MEI = DemoCard("6222020000000002", "2468", "cus_limei", "acc_limei_current", "李梅 Li Mei")
CHEN_JIAN = DemoCard(  # frozen
    "6222020000000003", "1357", "cus_chenjian", "acc_chenjian_current", "陈建 Chen Jian"
)
ZHAO_MIN = DemoCard(  # card locked
    "6222020000000004", "0000", "cus_zhaomin", "acc_zhaomin_current", "赵敏 Zhao Min"
)
LIU_YANG = DemoCard(  # almost no money
    "6222020000000005", "5555", "cus_liuyang", "acc_liuyang_current", "刘洋 Liu Yang"
)
MARGARET = DemoCard("6222020000000006", "6666", "cus_margaret", "acc_margaret_current", "Margaret Brown")
CHAN_MEILING = DemoCard(
    "6222020000000007", "7777", "cus_chanmeiling", "acc_chanmeiling_current", "陳美玲 Chan Mei-ling"
)


@dataclass(frozen=True)
class DueBillAccount:
    """A bill that comes to a demo customer's account every month (the bank lists it as due)."""

    customer_id: str
    biller_id: str
    customer_number: str
    amount_minor: int  # this month's amount, the same every month in the mock bank


# Li Mei is new at the kiosk (no history): her electricity bill, 307.60, is due from her first visit.
LI_MEI_ELECTRICITY = DueBillAccount("cus_limei", "bil_electricity", "3300016836", 30_760)
DUE_BILL_ACCOUNTS = (LI_MEI_ELECTRICITY,)

# Every demo card, in the README's (and the card reader's) order.
ALL_CARDS = (WANG_FANG, LI_MEI, CHEN_JIAN, ZHAO_MIN, LIU_YANG, MARGARET, CHAN_MEILING)

# Balances right after seeding: opening balances plus a year of Wang Fang's history (pension in,
# 6 x 500.00 to Li Mei, bills and a transfer out).
SEEDED_BALANCES = {
    "acc_wangfang_current": 13_189_920,
    "acc_wangfang_savings": 12_000_000,
    "acc_limei_current": 820_000,
    "acc_chenjian_current": 300_000,
    "acc_zhaomin_current": 150_000,
    "acc_liuyang_current": 1_234,
    "acc_margaret_current": 300_000,
    "acc_chanmeiling_current": 2_500_000,
}
