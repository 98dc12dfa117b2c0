"""Demo customers, cards, payees, billers and history, plus the magic values testers use.

Everything here is documented in the README ("Demo cards and magic values"); keep the two
in step. Seeding runs once per database (``meta.seeded``) and again on POST /v1/admin/reset.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mock_api import ledger
from mock_api.config import Clock
from mock_api.db import Database
from mock_api.ledger import EQUITY_ACCOUNT, EXTERNAL_ACCOUNT, SUSPENSE_ACCOUNT
from mock_api.values import hash_pin, iso, new_id


@dataclass(frozen=True)
class DemoCustomer:
    id: str
    name: str
    language: str
    phone: str
    card: str
    pin: str
    accounts: tuple[tuple[str, str, str, int], ...]  # (id, name, number, opening balance)
    trusted_contact: tuple[str, str] | None = None
    frozen: bool = False
    card_locked: bool = False


DEMO_CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        "cus_wangfang",
        "王芳 Wang Fang",
        "zh-Hans",
        "13800000001",
        "6222020000000001",
        "1234",
        (
            ("acc_wangfang_current", "活期 Current", "6217000000000101", 8_642_050),
            ("acc_wangfang_savings", "储蓄 Savings", "6217000000000102", 12_000_000),
        ),
        trusted_contact=("李梅 Li Mei", "13800000002"),
    ),
    DemoCustomer(
        "cus_limei",
        "李梅 Li Mei",
        "en",
        "13800000002",
        "6222020000000002",
        "2468",
        (("acc_limei_current", "Current", "6217000000000201", 520_000),),
    ),
    DemoCustomer(
        "cus_chenjian",
        "陈建 Chen Jian",
        "zh-Hans",
        "13800000003",
        "6222020000000003",
        "1357",
        (("acc_chenjian_current", "活期 Current", "6217000000000301", 300_000),),
        frozen=True,
    ),
    DemoCustomer(
        "cus_zhaomin",
        "赵敏 Zhao Min",
        "zh-Hans",
        "13800000004",
        "6222020000000004",
        "0000",
        (("acc_zhaomin_current", "活期 Current", "6217000000000401", 150_000),),
        card_locked=True,
    ),
    DemoCustomer(
        "cus_liuyang",
        "刘洋 Liu Yang",
        "zh-Hans",
        "13800000005",
        "6222020000000005",
        "5555",
        (("acc_liuyang_current", "活期 Current", "6217000000000501", 1_234),),
    ),
    DemoCustomer(
        "cus_margaret",
        "Margaret Brown",
        "en",
        "13800000006",
        "6222020000000006",
        "6666",
        (("acc_margaret_current", "Current", "6217000000000601", 300_000),),
        trusted_contact=("Tom Brown", "13800000016"),
    ),
    DemoCustomer(
        "cus_chanmeiling",
        "陳美玲 Chan Mei-ling",
        "zh-Hant",
        "13800000007",
        "6222020000000007",
        "7777",
        (("acc_chanmeiling_current", "活期 Current", "6217000000000701", 2_500_000),),
        trusted_contact=("陳家明 Chan Ka-ming", "13800000017"),
    ),
)


@dataclass(frozen=True)
class DemoStaff:
    id: str
    number: str  # the staff number they sign in to the console with
    name: str
    pin: str


# The branch's floor staff (demo PINs, like the demo cards'; kept by the bank as salted hashes).
DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("stf_lina", "1001", "李娜 Li Na", "8642"),
    DemoStaff("stf_chenwei", "1002", "陈伟 Chen Wei", "9753"),
)

# Accounts at other banks that payees can point to: (number, holder, reported for scams).
EXTERNAL_DIRECTORY = (
    ("6222030000001001", "张伟 Zhang Wei", False),
    ("6222030000001002", "刘芳 Liu Fang", False),
    ("6222030000001003", "王强 Wang Qiang", False),
    ("6222030000006666", "平安理财服务中心 Safe Wealth Service Centre", True),
)

BILLERS = (
    ("bil_electricity", "electricity", "State Grid Electricity", "国家电网电费", "國家電網電費"),
    ("bil_water", "water", "City Water", "自来水公司水费", "自來水公司水費"),
    ("bil_gas", "gas", "City Gas", "燃气公司燃气费", "燃氣公司燃氣費"),
    ("bil_phone", "phone", "China Mobile", "中国移动话费", "中國移動話費"),
)

# The bills the bank sends to a customer's account each month: (customer, biller, customer number).
# Li Mei is new at the kiosk (no history): her electricity bill (307.60) is due from her first visit.
BILL_ACCOUNTS = (("cus_limei", "bil_electricity", "3300016836"),)

# How the bank writes the names it keeps, in each script: {recorded name: {language: name}}.
# Written by hand, as a bank's records are (never converted by a program: 陳美玲's name is not
# "陈美玲" to her, and a Hong Kong account is a 戶口). A name the bank does not list here (one a
# customer typed for a payee, say) is shown as recorded.
NAMES: dict[str, dict[str, str]] = {
    # customers, their trusted contacts and the holders of accounts at other banks
    "王芳 Wang Fang": {"zh-Hans": "王芳", "zh-Hant": "王芳", "en": "Wang Fang"},
    "李梅 Li Mei": {"zh-Hans": "李梅", "zh-Hant": "李梅", "en": "Li Mei"},
    "陈建 Chen Jian": {"zh-Hans": "陈建", "zh-Hant": "陳建", "en": "Chen Jian"},
    "赵敏 Zhao Min": {"zh-Hans": "赵敏", "zh-Hant": "趙敏", "en": "Zhao Min"},
    "刘洋 Liu Yang": {"zh-Hans": "刘洋", "zh-Hant": "劉洋", "en": "Liu Yang"},
    "陳美玲 Chan Mei-ling": {"zh-Hans": "陈美玲", "zh-Hant": "陳美玲", "en": "Chan Mei-ling"},
    "陳家明 Chan Ka-ming": {"zh-Hans": "陈家明", "zh-Hant": "陳家明", "en": "Chan Ka-ming"},
    # the branch's staff
    "李娜 Li Na": {"zh-Hans": "李娜", "zh-Hant": "李娜", "en": "Li Na"},
    "陈伟 Chen Wei": {"zh-Hans": "陈伟", "zh-Hant": "陳偉", "en": "Chen Wei"},
    "张伟 Zhang Wei": {"zh-Hans": "张伟", "zh-Hant": "張偉", "en": "Zhang Wei"},
    "刘芳 Liu Fang": {"zh-Hans": "刘芳", "zh-Hant": "劉芳", "en": "Liu Fang"},
    "王强 Wang Qiang": {"zh-Hans": "王强", "zh-Hant": "王強", "en": "Wang Qiang"},
    "平安理财服务中心 Safe Wealth Service Centre": {
        "zh-Hans": "平安理财服务中心",
        "zh-Hant": "平安理財服務中心",
        "en": "Safe Wealth Service Centre",
    },
    # account names (in Hong Kong a current account is a 往來戶口, a savings account a 儲蓄戶口)
    "活期 Current": {"zh-Hans": "活期", "zh-Hant": "往來戶口", "en": "Current"},
    "储蓄 Savings": {"zh-Hans": "储蓄", "zh-Hant": "儲蓄戶口", "en": "Savings"},
    "Current": {"zh-Hans": "活期", "zh-Hant": "往來戶口", "en": "Current"},
    # the nicknames the bank set up with Wang Fang's payees, and where her pension comes from
    "女儿 Daughter": {"zh-Hans": "女儿", "zh-Hant": "女兒", "en": "Daughter"},
    "儿子 Son": {"zh-Hans": "儿子", "zh-Hant": "兒子", "en": "Son"},
    "养老金 Pension": {"zh-Hans": "养老金", "zh-Hant": "退休金", "en": "Pension"},
    # billers, recorded under their English names
    **{name_en: {"zh-Hans": hans, "zh-Hant": hant, "en": name_en} for _, _, name_en, hans, hant in BILLERS},
}


def names_of(recorded: str | None) -> dict[str, str]:
    """The bank's names for ``recorded`` in each script it has them in; empty if it has none."""
    return dict(NAMES.get(recorded or "", {}))


# Magic bill customer numbers.
BILL_NOT_FOUND_NUMBER = "0000000000"
LARGE_BILL_NUMBER = "8888888888"  # a 6,800.00 bill: large enough to be confirmed
BILL_RANGES = {
    "electricity": (8_000, 48_000),
    "water": (3_000, 15_000),
    "gas": (5_000, 30_000),
    "phone": (3_000, 20_000),
}
HOLDER_SURNAMES = "王李张刘陈杨赵黄周吴"
HOLDER_SURNAMES_HANT = "王李張劉陳楊趙黃周吳"  # the same surnames as Hong Kong writes them

TOTAL_MONEY = 10**15  # what the bank's equity account issued at seeding


@dataclass(frozen=True)
class GeneratedBill:
    holder_name: str
    amount: int
    period: str
    due_date: str


def generated_bill(biller_id: str, customer_number: str, now: datetime) -> GeneratedBill | None:
    """Any customer number has a bill this month, except the magic 'no bill' number."""
    if customer_number == BILL_NOT_FOUND_NUMBER:
        return None
    category = next((b[1] for b in BILLERS if b[0] == biller_id), "electricity")
    digest = int.from_bytes(hashlib.sha256(f"{biller_id}:{customer_number}".encode()).digest()[:8], "big")
    low, high = BILL_RANGES[category]
    amount = 680_000 if customer_number == LARGE_BILL_NUMBER else low + digest % (high - low) // 10 * 10
    holder = HOLDER_SURNAMES[digest % len(HOLDER_SURNAMES)] + "**"
    period = f"{now:%Y-%m}"
    return GeneratedBill(holder, amount, period, f"{now:%Y-%m}-25")


def holder_names(holder: str) -> dict[str, str]:
    """A bill's masked holder ("张**") in both Chinese scripts; empty for a name not generated here."""
    surname, rest = holder[:1], holder[1:]
    if not surname or surname not in HOLDER_SURNAMES:
        return {}
    hant = HOLDER_SURNAMES_HANT[HOLDER_SURNAMES.index(surname)]
    return {"zh-Hans": holder, "zh-Hant": hant + rest}


def seed_if_empty(db: Database, clock: Clock) -> bool:
    with db.read() as conn:
        seeded = conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone() is not None
        has_staff = conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone() is not None
    if seeded:
        if not has_staff:  # a bank file made before the staff console
            with db.write() as conn:
                _seed_staff(conn)
        return False
    reset(db, clock)
    return True


def reset(db: Database, clock: Clock) -> None:
    """Wipe every table and load the demo data afresh."""
    with db.write() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in reversed(tables):  # children before parents: foreign keys are enforced
            conn.execute(f"DELETE FROM {table}")  # table names come from sqlite_master
        _seed(conn, clock.now(), db.card_key)
        conn.execute("INSERT INTO meta (key, value) VALUES ('seeded', ?)", (iso(clock.now()),))


def _seed(conn: sqlite3.Connection, now: datetime, card_key: Callable[[str], str]) -> None:
    def account(account_id: str, customer_id: str | None, number: str, name: str, kind: str) -> None:
        conn.execute(
            "INSERT INTO accounts (id, customer_id, number, name, kind, balance) VALUES (?, ?, ?, ?, ?, 0)",
            (account_id, customer_id, number, name, kind),
        )

    account(EQUITY_ACCOUNT, None, "0000000000000001", "Bank equity", "equity")
    account(SUSPENSE_ACCOUNT, None, "0000000000000002", "Held payments", "suspense")
    account(EXTERNAL_ACCOUNT, None, "0000000000000003", "Other banks (clearing)", "external")
    opening = iso(now - timedelta(days=400))
    ledger.post(
        conn,
        at=opening,
        description="Other banks settlement float",
        moves=[(EQUITY_ACCOUNT, -TOTAL_MONEY // 2), (EXTERNAL_ACCOUNT, TOTAL_MONEY // 2)],
    )

    for customer in DEMO_CUSTOMERS:
        contact_name, contact_phone = customer.trusted_contact or (None, None)
        conn.execute(
            "INSERT INTO customers (id, name, phone, language, trusted_contact_name, trusted_contact_phone,"
            " frozen_at, frozen_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                customer.id,
                customer.name,
                customer.phone,
                customer.language,
                contact_name,
                contact_phone,
                iso(now) if customer.frozen else None,
                "repeated_failed_sign_in" if customer.frozen else None,
            ),
        )
        salt = secrets.token_bytes(16)
        conn.execute(
            "INSERT INTO cards (card_key, card_last4, customer_id, pin_salt, pin_hash, failed_attempts, locked_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                card_key(customer.card),
                customer.card[-4:],
                customer.id,
                salt,
                hash_pin(customer.pin, salt),
                3 if customer.card_locked else 0,
                iso(now) if customer.card_locked else None,
            ),
        )
        if customer.frozen:
            conn.execute(
                "INSERT INTO anomalies (id, customer_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)",
                (new_id("anom"), customer.id, "repeated_failed_sign_in", "demo: frozen at seeding", iso(now)),
            )
        for account_id, name, number, balance in customer.accounts:
            account(account_id, customer.id, number, name, "customer")
            conn.execute(
                "INSERT INTO directory (number, holder_name, account_id) VALUES (?, ?, ?)",
                (number, customer.name, account_id),
            )
            ledger.post(
                conn,
                at=opening,
                description="Opening balance",
                moves=[(EQUITY_ACCOUNT, -balance), (account_id, balance)],
            )

    _seed_staff(conn)

    for number, holder, reported in EXTERNAL_DIRECTORY:
        conn.execute(
            "INSERT INTO directory (number, holder_name, account_id, reported_scam) VALUES (?, ?, ?, ?)",
            (number, holder, EXTERNAL_ACCOUNT, int(reported)),
        )
    for index, (biller_id, category, name_en, name_hans, name_hant) in enumerate(BILLERS, start=1):
        account(f"acc_{biller_id}", None, f"90000000000000{index:02d}", name_en, "biller")
        conn.execute(
            "INSERT INTO billers (id, category, name_en, name_zh_hans, name_zh_hant, account_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (biller_id, category, name_en, name_hans, name_hant, f"acc_{biller_id}"),
        )
    conn.executemany(
        "INSERT INTO bill_accounts (customer_id, biller_id, customer_number) VALUES (?, ?, ?)", BILL_ACCOUNTS
    )
    _seed_wang_fang_history(conn, now)


def _seed_staff(conn: sqlite3.Connection) -> None:
    for staff in DEMO_STAFF:
        salt = secrets.token_bytes(16)
        conn.execute(
            "INSERT INTO staff (id, number, name, pin_salt, pin_hash) VALUES (?, ?, ?, ?, ?)",
            (staff.id, staff.number, staff.name, salt, hash_pin(staff.pin, salt)),
        )


def _seed_wang_fang_history(conn: sqlite3.Connection, now: datetime) -> None:
    """A year of pension, transfers to family and bills, so history pages and payees are familiar."""
    customer, current = "cus_wangfang", "acc_wangfang_current"
    payees = {
        "payee_wf_limei": ("李梅 Li Mei", "女儿 Daughter", "6217000000000201", 400),
        "payee_wf_wangqiang": ("王强 Wang Qiang", "儿子 Son", "6222030000001003", 90),
        "payee_wf_zhangwei": ("张伟 Zhang Wei", None, "6222030000001001", 2),
    }
    for payee_id, (name, nickname, number, age_days) in payees.items():
        conn.execute(
            "INSERT INTO payees (id, customer_id, name, nickname, account_number, name_check, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'match', ?)",
            (payee_id, customer, name, nickname, number, iso(now - timedelta(days=age_days))),
        )
    events: list[tuple[int, str, str | None, int, str, str]] = []  # days ago, kind, payee, amount, to, name
    for month in range(12):
        events.append((30 * month + 28, "pension", None, 420_000, "", "养老金 Pension"))
    for days_ago in (350, 290, 230, 170, 110, 50):
        events.append((days_ago, "transfer", "payee_wf_limei", 50_000, "acc_limei_current", "李梅 Li Mei"))
    events.append((60, "transfer", "payee_wf_wangqiang", 120_000, EXTERNAL_ACCOUNT, "王强 Wang Qiang"))
    for days_ago, amount in ((75, 18_650), (45, 21_230), (15, 19_870)):
        events.append((days_ago, "bill", None, amount, "acc_bil_electricity", "State Grid Electricity"))
    for days_ago, amount in ((70, 6_400), (10, 5_980)):
        events.append((days_ago, "bill", None, amount, "acc_bil_water", "City Water"))
    for days_ago, kind, payee_id, amount, target, name in sorted(events, reverse=True):
        at = iso(now - timedelta(days=days_ago, hours=-2))
        if kind == "pension":
            ledger.post(conn, at=at, description=f"From {name}", moves=[(EXTERNAL_ACCOUNT, -amount), (current, amount)])
            continue
        payment_id = new_id("pay")
        conn.execute(
            "INSERT INTO payments (id, customer_id, kind, from_account_id, to_account_id, payee_id, counterparty,"
            " amount, memo, status, decision, reasons, requires, hold_minutes, created_at, updated_at,"
            " completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 'completed', 'allow', '[]', '[]', 0, ?, ?, ?)",
            (payment_id, customer, kind, current, target, payee_id, name, amount, at, at, at),
        )
        prefix = "To" if kind == "transfer" else "Bill"
        ledger.post(
            conn,
            at=at,
            payment_id=payment_id,
            description=f"{prefix} {name}",
            moves=[(current, -amount), (target, amount)],
        )
    for item, label, count in (
        ("balance", "Balance", 8),
        ("send:payee_wf_limei", "Send to 李梅 Li Mei", 5),
        ("bill:bil_electricity:3300123456", "Pay electricity", 3),
    ):
        for n in range(count):
            conn.execute(
                "INSERT INTO usage_events (customer_id, item, label, at) VALUES (?, ?, ?, ?)",
                (customer, item, label, iso(now - timedelta(days=3 + 7 * n))),
            )
