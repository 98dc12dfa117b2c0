"""A usability study, read from its TOML file (docs/research.md): conditions, participants, the order
of conditions per participant (a balanced Latin square unless the file gives one), tasks with their
instructions and the bank state that means a task is done, and the questionnaires."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from client.i18n import LANGUAGES
from client.models import Payment

SLUG = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
QUESTIONNAIRES = ("seq", "sus", "nps", "csat")
REQUIRED_QUESTIONNAIRES = ("seq", "sus")
HOME_POLICIES = ("split", "reorder", "static")


class StudyError(ValueError):
    """A study file that cannot be used, with a message a researcher can act on."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    id: str = Field(pattern=SLUG)
    label: str
    elder_mode: bool = True
    voice: bool = True
    home_policy: Literal["split", "reorder", "static"] = "split"


class Success(_Strict):
    """A payment the bank must hold, made since the task started, for the task to be done."""

    kind: Literal["transfer", "bill"]
    to: str = Field(min_length=1)
    amount: str | None = None
    status: tuple[str, ...] = ("completed",)

    @field_validator("status", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("amount")
    @classmethod
    def _decimal(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                minor = Decimal(value) * 100
            except InvalidOperation:
                raise ValueError(f"amount {value!r} is not a number such as 200.00") from None
            if minor != minor.to_integral_value() or minor <= 0:
                raise ValueError(f"amount {value!r} must be positive, with at most two decimals")
        return value

    @property
    def amount_minor(self) -> int | None:
        return None if self.amount is None else int(Decimal(self.amount) * 100)

    def met_by(self, payment: Payment) -> bool:
        names = [payment.counterparty, *payment.counterparty_names.values()]
        return (
            payment.kind == self.kind
            and payment.status in self.status
            and (self.amount_minor is None or payment.amount_minor == self.amount_minor)
            and any(self.to.casefold() in name.casefold() for name in names)
        )

    def found_in(self, payments: Iterable[Payment], since: datetime) -> Payment | None:
        return next((p for p in payments if p.created_at >= since and self.met_by(p)), None)


class Task(_Strict):
    id: str = Field(pattern=SLUG)
    title: str
    instruction: dict[str, str]
    success: Success
    time_limit_seconds: int | None = Field(default=None, gt=0)
    optimal_path: tuple[str, ...] = ()

    @field_validator("instruction")
    @classmethod
    def _every_language(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [language for language in LANGUAGES if not value.get(language, "").strip()]
        if missing:
            raise ValueError(f"the instruction needs a text in {', '.join(missing)}")
        return value


class Study(_Strict):
    id: str = Field(pattern=SLUG)
    title: str
    language: str = "zh-Hans"
    participants: tuple[str, ...] = Field(min_length=1)
    questionnaires: tuple[str, ...] = REQUIRED_QUESTIONNAIRES
    conditions: tuple[Condition, ...] = Field(min_length=1)
    tasks: tuple[Task, ...] = Field(min_length=1)
    order: dict[str, tuple[str, ...]] = {}
    participant_languages: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Study:
        problems = self._unknown_values() + self._doubles() + self._bad_orders()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _unknown_values(self) -> list[str]:
        problems = [] if self.language in LANGUAGES else [f"language {self.language!r} is not one of {list(LANGUAGES)}"]
        problems += [
            f"participant {a!r} is not an alias such as P07" for a in self.participants if not re.fullmatch(SLUG, a)
        ]
        problems += [
            f"questionnaire {k!r} is not one of {QUESTIONNAIRES}"
            for k in self.questionnaires
            if k not in QUESTIONNAIRES
        ]
        missing = [k for k in REQUIRED_QUESTIONNAIRES if k not in self.questionnaires]
        return problems + [f"questionnaire {k!r} is required" for k in missing]

    def _doubles(self) -> list[str]:
        problems = []
        for kind, ids in (
            ("participant", self.participants),
            ("condition", self.condition_ids),
            ("task", self.task_ids),
        ):
            problems += [f"{kind} {i!r} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        return problems

    def _bad_orders(self) -> list[str]:
        problems = []
        for alias, order in self.order.items():
            if alias not in self.participants:
                problems.append(f"order: {alias!r} is not a participant")
            if sorted(order) != sorted(self.condition_ids):
                problems.append(f"order of {alias}: it must list each condition once")
        for alias, language in self.participant_languages.items():
            if alias not in self.participants or language not in LANGUAGES:
                problems.append(f"participant_languages: {alias} = {language!r} is not usable")
        return problems

    @property
    def condition_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.conditions)

    @property
    def task_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tasks)

    def condition(self, condition_id: str) -> Condition:
        return next(c for c in self.conditions if c.id == condition_id)

    def task(self, task_id: str) -> Task:
        return next(t for t in self.tasks if t.id == task_id)

    def language_of(self, participant: str) -> str:
        return self.participant_languages.get(participant, self.language)

    def order_of(self, participant: str) -> tuple[str, ...]:
        """The conditions in the order this participant meets them."""
        if participant in self.order:
            return self.order[participant]
        rows = balanced_latin_square(len(self.conditions))
        row = rows[self.participants.index(participant) % len(rows)]
        return tuple(self.conditions[i].id for i in row)

    @property
    def end_questionnaires(self) -> tuple[str, ...]:
        """Asked once at the end of a session, in this order (SEQ comes after each task instead)."""
        return tuple(k for k in ("sus", "nps", "csat") if k in self.questionnaires)


def balanced_latin_square(n: int) -> list[list[int]]:
    """Orders of ``n`` conditions in which each comes in each position equally often and, for
    carry-over, each follows each other one equally often (Williams 1949): n rows for an even n,
    2n rows (the square and its mirror) for an odd n."""
    if n < 1:
        raise ValueError("a study needs a condition")
    rows = [[(c + shift) % n for c in _williams_first(n)] for shift in range(n)]
    if n % 2:
        rows += [list(reversed(row)) for row in rows]
    return rows


def _williams_first(n: int) -> list[int]:
    """The first row of a Williams square: 0, 1, n-1, 2, n-2, …"""
    row = [0]
    for step in range(1, n):
        row.append((step + 1) // 2 if step % 2 else n - step // 2)
    return row


def load_study(path: Path) -> Study:
    """The study in ``path``, or a StudyError saying what to fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StudyError(f"There is no study file at {path}.") from None
    except tomllib.TOMLDecodeError as error:
        raise StudyError(f"{path} is not valid TOML: {error}") from None
    try:
        return Study.model_validate(data)
    except ValidationError as error:
        lines = [f"  {'.'.join(str(p) for p in e['loc']) or 'study'}: {e['msg']}" for e in error.errors()]
        raise StudyError(f"{path} cannot be used:\n" + "\n".join(lines)) from None
