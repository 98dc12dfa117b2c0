"""The house style of the security prompts (DESIGN.md "Security prompts in plain language").

A content designer edits the catalog without touching code; :func:`lint` checks its structure and
its style so that an edit cannot quietly bring back jargon, blame, fear or long sentences
(``python -m client.security --check``). Only that tool and the tests load this module: the kiosk
never does, so textstat is a development dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import textstat

from client.i18n import LANGUAGES
from client.security.catalog import CATALOG_VERSION, FIELDS, KINDS, QUESTION_FIELDS, SecurityCatalog, placeholders
from client.security.reasons import FOLLOW_UP_QUESTIONS, OFFERED_PURPOSES, RISK_REASON_CODES, SCAM_SCRIPTS

LABEL_FIELDS = ("safe_action", "proceed_action", "answer")

# The answers to "what is this payment for?" that the bank blocks at once as a scammer's script
# (reason purpose_scam_script). Only this checker uses the list; the kiosk never judges an answer
# itself, the bank does (tests keep it the bank's).
SCAM_PURPOSES = frozenset({"safe_account", "prize_or_refund"})

# Every code the kiosk can explain, with the kind its entry must have. Each script the bank can
# stop a payment for (an answer, or a follow-up answer) has a stop written for it, "purpose_<script>".
REQUIRED_CODES: dict[str, str] = {
    **dict.fromkeys(RISK_REASON_CODES, "risk"),
    **{f"purpose_{script}": "stop" for script in SCAM_SCRIPTS},
    "verification_code": "risk",
    "held_payment": "risk",
    "name_match": "name_check",
    "name_close_match": "name_check",
    "name_no_match": "name_check",
    "name_unavailable": "name_check",
    "pin_incorrect": "event",
    "card_locked": "event",
    "signed_out_inactivity": "event",
    "service_unavailable": "event",
    "connection_lost": "event",
    "verification_code_expired": "event",
    "account_frozen": "event",
}
# Where there is no way on, proceed_action must be null: a stopped payment stays stopped.
NO_WAY_ON_KINDS = frozenset({"stop", "event"})
NO_WAY_ON_CODES = frozenset(
    {"payee_reported_scam", "purpose_scam_script", "insufficient_funds", "limit_exceeded", "name_match"}
)
# Placeholders an entry may use, and what stands in for them when the style rules read the text.
NAME_CHECK_PLACEHOLDERS = frozenset({"name"})
CODE_PLACEHOLDERS: dict[str, frozenset[str]] = {"held_payment": frozenset({"minutes"})}
SPEECH_PLACEHOLDERS = frozenset({"minutes"})  # never a name, an amount or an account number aloud
SAMPLE_VALUES: dict[str, dict[str, str]] = {
    "en": {"name": "Li Mei", "minutes": "15"},
    "zh": {"name": "李梅", "minutes": "15"},
}

# The questions of the safety check: "what is this payment for?" and every follow-up the bank can
# ask, with the answers each must offer (in this order for the purpose).
REQUIRED_QUESTIONS: dict[str, tuple[str, ...]] = {
    "purpose": OFFERED_PURPOSES,
    **dict.fromkeys(FOLLOW_UP_QUESTIONS, ("yes", "no")),
}
# The reason comes first: every question opens with "we ask because".
REASON_FIRST = {"en": "We ask because", "zh-Hans": "我们问这个，是因为", "zh-Hant": "我們問這個，是因為"}
# Words that put a scammer's script in the customer's mouth: never in an answer to the purpose
# (a coached customer would not pick it, and an honest one is accused by it).
EN_SCRIPT_WORDS = (
    r"told me",
    r"asked me",
    r"someone",
    r"safe(?:ty|ly)?",
    r"phone",
    r"call(?:ed|s)?",
    r"scam\w*",
    r"police",
    r"high returns?",
    r"guarantee\w*",
    r"no risk",
)
ZH_SCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("安全", "有人", "别人", "电话", "骗", "警察", "高回报", "保证", "让我", "叫我", "稳赚"),
    "zh-Hant": ("安全", "有人", "別人", "電話", "騙", "警察", "高回報", "保證", "叫我", "讓我", "穩賺"),
}

# --- the style rules and their thresholds -------------------------------------------------------
# English: sentence length and reading grade (Flesch-Kincaid, via textstat) for every field.
EN_MAX_SENTENCE_WORDS = 15
EN_MAX_GRADE = 6.0
EN_MAX_HEADLINE_WORDS = 9
EN_MAX_LABEL_WORDS = 7
# Chinese: a clause is the run of characters between two punctuation marks. Characters are
# counted without spaces or punctuation, a placeholder as its sample value.
ZH_MAX_CLAUSE_CHARS = 18
ZH_MAX_SENTENCE_CHARS = 36
ZH_MAX_HEADLINE_CHARS = 12
ZH_MAX_LABEL_CHARS = 10
# Every language: "what happened" is one or two sentences; "Why am I seeing this?" is one
# paragraph of two to four.
MAX_WHAT_HAPPENED_SENTENCES = 2
WHY_SEEING_SENTENCES = (2, 4)

# Words we never show. English patterns are whole words, case-insensitive; Chinese ones substrings.
EN_JARGON = (
    r"authenticat\w*",
    r"authori[sz]\w*",
    r"unauthori[sz]\w*",
    r"beneficiar\w*",
    r"payees?",
    r"recipients?",
    r"OTPs?",
    r"one-time (?:password|passcode|code)s?",
    r"2FA",
    r"two-factor",
    r"SMS",
    r"transactions?",
    r"declined?",
    r"verif(?:y|ied|ies|ying|ication)\w*",
    r"identity",
    r"credentials?",
    r"fraud\w*",
    r"insufficient",
    r"funds",
    r"sessions?",
    r"time-?outs?",
    r"inactivity",
    r"expir\w*",
    r"errors?",
    r"servers?",
    r"network",
    r"API",
    r"KYC",
    r"anomal\w*",
    r"fail(?:s|ed|ing|ure)?",
    r"processing",
    r"biometric\w*",
    r"encrypt\w*",
)
EN_BLAME = (
    r"you (?:have )?made a mistake",
    r"your (?:own )?(?:mistake|fault|error)",
    r"you (?:have )?failed",
    r"invalid",
    r"illegal",
    r"incorrect(?:ly)?",
    r"you (?:entered|typed|chose|pressed|got) (?:it |the )?wrong",
    r"you should have",
    r"careless\w*",
    r"you forgot",
)
EN_FEAR = (
    r"danger\w*",
    r"warning\w*",
    r"alert\w*",
    r"urgent\w*",
    r"immediately",
    r"act now",
    r"threat\w*",
    r"attack\w*",
    r"hack\w*",
    r"sever(?:e|ely)",
    r"critical",
    r"emergency",
    r"panic\w*",
    r"frozen",
    r"freez\w*",
    r"blocked",
    r"suspended",
    r"suspicious",
    r"terminat\w*",
    r"penalt\w*",
)
EN_ALLOWED_CAPS = frozenset({"PIN"})

ZH_JARGON: dict[str, tuple[str, ...]] = {
    "zh-Hans": (
        "鉴权",
        "认证",
        "身份验证",
        "验证身份",
        "核验身份",
        "受益人",
        "动态口令",
        "动态密码",
        "一次性密码",
        "交易失败",
        "交易被拒",
        "交易异常",
        "风控",
        "风险控制",
        "反欺诈",
        "欺诈",
        "授权",
        "校验",
        "服务器",
        "会话",
        "接口",
        "报错",
        "错误码",
        "系统错误",
        "失败",
    ),
    "zh-Hant": (
        "鑑權",
        "認證",
        "身份驗證",
        "身分驗證",
        "驗證身份",
        "核驗身份",
        "受益人",
        "動態口令",
        "動態密碼",
        "一次性密碼",
        "交易失敗",
        "交易被拒",
        "交易異常",
        "風控",
        "風險控制",
        "反欺詐",
        "欺詐",
        "授權",
        "校驗",
        "伺服器",
        "服務器",
        "會話",
        "介面",
        "接口",
        "報錯",
        "錯誤碼",
        "系統錯誤",
        "失敗",
    ),
}
ZH_BLAME: dict[str, tuple[str, ...]] = {
    "zh-Hans": (
        "您输错",
        "你输错",
        "输入错误",
        "输入有误",
        "操作错误",
        "操作有误",
        "操作不当",
        "您的错",
        "你的错",
        "您的责任",
        "怪您",
        "您失误",
        "粗心",
        "无效",
        "非法",
        "不合法",
        "违规",
    ),
    "zh-Hant": (
        "您輸錯",
        "你輸錯",
        "輸入錯誤",
        "輸入有誤",
        "操作錯誤",
        "操作有誤",
        "操作不當",
        "您的錯",
        "你的錯",
        "您的責任",
        "怪您",
        "您失誤",
        "粗心",
        "無效",
        "非法",
        "不合法",
        "違規",
    ),
}
ZH_FEAR: dict[str, tuple[str, ...]] = {
    "zh-Hans": (
        "危险",
        "警告",
        "警报",
        "紧急",
        "立即",
        "立刻",
        "赶快",
        "赶紧",
        "严重",
        "威胁",
        "攻击",
        "黑客",
        "盗刷",
        "冻结",
        "封号",
        "封禁",
        "可疑",
    ),
    "zh-Hant": (
        "危險",
        "警告",
        "警報",
        "緊急",
        "立即",
        "立刻",
        "趕快",
        "趕緊",
        "嚴重",
        "威脅",
        "攻擊",
        "駭客",
        "黑客",
        "盜刷",
        "凍結",
        "封號",
        "封禁",
        "可疑",
    ),
}
# Characters that belong to one script only (simplified, traditional), to catch a text pasted
# into the wrong Chinese. Pairs whose simplified form is also a traditional character (后, 里,
# 几, 干, 台, 准 ...) are left out on purpose.
_SCRIPT_PAIRS = (
    "们們 这這 钱錢 账帳 户戶 时時 会會 说說 对對 给給 过過 还還 让讓 码碼 请請 问問 员員 联聯 电電 话話 "
    "号號 发發 转轉 认認 确確 关關 机機 网網 络絡 银銀 应應 该該 为為 么麼 吗嗎 个個 长長 间間 来來 没沒 "
    "开開 现現 经經 验驗 证證 锁鎖 冻凍 结結 骗騙 诈詐 职職 务務 帮幫 亲親 难難 险險 额額 点點 钟鐘 种種 "
    "样樣 实實 见見 觉覺 购購 买買 卖賣 资資 产產 币幣 万萬 两兩 边邊 够夠 与與 从從 处處 动動 态態 单單 "
    "线線 连連 断斷 听聽 读讀 写寫 错錯 误誤 输輸 显顯 报報 紧緊 损損 护護 诉訴 决決 谈談 题題 别別 欢歡 "
    "简簡 条條 记記 录錄 挂掛 团團 话話 议議 认認 识識 办辦 将將 惯慣 虑慮 觉覺 数數 陆陸 费費 领領 奖獎 "
    "项項 赚賺 赔賠 亏虧 稳穩 复復"
)
_PAIRS = [pair for pair in _SCRIPT_PAIRS.split() if pair[0] != pair[1]]
SIMPLIFIED_ONLY = frozenset(pair[0] for pair in _PAIRS)
TRADITIONAL_ONLY = frozenset(pair[1] for pair in _PAIRS)

_ZH_PUNCTUATION = "，。、；：？！“”‘’「」『』（）《》〈〉…—·,.;:?!\"'()"
_ZH_CLAUSE_SPLIT = re.compile(f"[{re.escape(_ZH_PUNCTUATION)}\\s]+")
_ZH_SENTENCE_SPLIT = re.compile(r"(?<=[。？！?!])")
_EN_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_DIGITS = re.compile(r"[0-9０-９]")
_CURRENCY = re.compile(r"[¥￥$€£元]|\byuan\b|块钱|塊錢|人民币|人民幣", re.IGNORECASE)
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")


def _words(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


_EN_JARGON = _words(EN_JARGON)
_EN_BLAME = _words(EN_BLAME)
_EN_FEAR = _words(EN_FEAR)
_EN_SCRIPT = _words(EN_SCRIPT_WORDS)


def allowed_placeholders(code: str, kind: object) -> frozenset[str]:
    allowed = CODE_PLACEHOLDERS.get(code, frozenset())
    return allowed | NAME_CHECK_PLACEHOLDERS if kind == "name_check" else allowed


# --- the checker --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintViolation:
    rule: str
    message: str
    code: str | None = None
    language: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = "/".join(part for part in (self.code, self.language, self.field) if part)
        return f"{where or 'catalog'}: [{self.rule}] {self.message}"


def english_sentences(text: str) -> list[str]:
    return [sentence for sentence in _EN_SENTENCE_SPLIT.split(text.strip()) if sentence]


def chinese_sentences(text: str) -> list[str]:
    return [sentence for sentence in _ZH_SENTENCE_SPLIT.split(text.strip()) if sentence.strip()]


def chinese_clauses(text: str) -> list[str]:
    return [clause for clause in _ZH_CLAUSE_SPLIT.split(text) if clause]


def chinese_length(text: str) -> int:
    """Characters a reader reads: no spaces, no punctuation."""
    return sum(len(clause) for clause in chinese_clauses(text))


def lint(catalog: SecurityCatalog) -> list[LintViolation]:
    """Every way the catalog breaks the structure or the house style; empty when it is clean."""
    return list(_lint(catalog.data))


def _lint(data: Mapping[str, Any]) -> Iterator[LintViolation]:
    if data.get("version") != CATALOG_VERSION:
        yield LintViolation("schema", f"version must be {CATALOG_VERSION}, not {data.get('version')!r}")
    for key in sorted(set(data) - {"version", "languages", "entries", "questions"}):
        yield LintViolation("schema", f"unknown top-level key {key!r}")

    languages = data.get("languages")
    if not isinstance(languages, list) or not all(isinstance(language, str) for language in languages):
        yield LintViolation("schema", "languages must be a list of language codes")
        languages = []
    yield from _lint_languages(languages)

    yield from _lint_questions(data.get("questions"), languages)
    entries = data.get("entries")
    if not isinstance(entries, Mapping):
        yield LintViolation("schema", "entries must be an object of code: entry")
        return
    for code, kind in REQUIRED_CODES.items():
        if code not in entries:
            yield LintViolation("missing-code", f"no entry for {code!r} ({kind})", code)
    for code, entry in entries.items():
        yield from _lint_entry(code, entry, languages)


def _lint_questions(questions: Any, languages: Sequence[str]) -> Iterator[LintViolation]:
    """The safety check's questions: each asked, in every language, reason first, neutral answers."""
    if not isinstance(questions, Mapping):
        yield LintViolation("schema", "questions must be an object of question: texts")
        return
    for code in REQUIRED_QUESTIONS:
        if code not in questions:
            yield LintViolation("missing-code", f"no question {code!r}", code)
    for code in sorted(set(questions) - set(REQUIRED_QUESTIONS)):
        yield LintViolation("schema", f"unknown question {code!r} (the bank never asks it)", code)
    for code, entry in questions.items():
        if code not in REQUIRED_QUESTIONS:
            continue
        if not isinstance(entry, Mapping):
            yield LintViolation("schema", "a question is an object of language: texts", code)
            continue
        for language in languages:
            texts = entry.get(language)
            if not isinstance(texts, Mapping):
                yield LintViolation("missing-language", "no texts in this language", code, language)
                continue
            yield from _lint_question(code, language, texts)


def _lint_question(code: str, language: str, texts: Mapping[str, Any]) -> Iterator[LintViolation]:
    for key in sorted(set(texts) - set(QUESTION_FIELDS)):
        yield LintViolation("schema", f"unknown field {key!r}", code, language)
    readable: list[tuple[str, str]] = []
    for rule, message, field, text in (*_question_problems(language, texts), *_answer_problems(code, language, texts)):
        if rule:
            yield LintViolation(rule, message, code, language, field)
        else:
            readable.append((field, text))
    style = {"en": _english_problems, "zh-Hans": _chinese_problems, "zh-Hant": _chinese_problems}.get(language)
    if style is None:
        return
    for field, text in readable:
        for rule, message in style(field, text, language):
            yield LintViolation(rule, message, code, language, "answers" if field == "answer" else field)


# (rule, message, field, text): a problem when rule is set, else a text for the style rules to read.
_Found = tuple[str, str, str, str]


def _question_problems(language: str, texts: Mapping[str, Any]) -> Iterator[_Found]:
    """The reason comes first, the question is a question."""
    for field in ("because", "question"):
        value = texts.get(field)
        if not isinstance(value, str) or not value.strip():
            yield "missing-field", "missing or empty", field, ""
        else:
            yield "", "", field, value
    because, question = texts.get("because"), texts.get("question")
    opening = REASON_FIRST.get(language)
    if isinstance(because, str) and opening and not because.startswith(opening):
        yield "reason-first", f"the reason opens with {opening!r}", "because", ""
    if isinstance(question, str) and not question.rstrip().endswith(("?", "？")):
        yield "question", "a question ends with a question mark", "question", ""


def _answer_problems(code: str, language: str, texts: Mapping[str, Any]) -> Iterator[_Found]:
    """Every answer, in order, each its own label; the purpose's answers in neutral words."""
    answers = texts.get("answers")
    if not isinstance(answers, Mapping) or tuple(answers) != REQUIRED_QUESTIONS[code]:
        yield "answers", f"the answers must be {', '.join(REQUIRED_QUESTIONS[code])}, in this order", "answers", ""
        answers = answers if isinstance(answers, Mapping) else {}
    labels = [value for value in answers.values() if isinstance(value, str)]
    if len(set(labels)) != len(labels):
        yield "labels", "two answers have the same label", "answers", ""
    for answer, label in answers.items():
        if not isinstance(label, str) or not label.strip():
            yield "empty", f"the answer {answer!r} has no label", "answers", ""
            continue
        yield "", "", "answer", label
        for word in _script_words(label, language) if code == "purpose" else ():
            yield "neutral-answer", f"{word!r} puts a scammer's script in the answer {answer!r}", "answers", ""


def _script_words(label: str, language: str) -> list[str]:
    if language == "en":
        return _found(_EN_SCRIPT, label)
    return [word for word in ZH_SCRIPT_WORDS.get(language, ()) if word in label]


def _lint_languages(languages: Sequence[str]) -> Iterator[LintViolation]:
    """The catalog's languages are the kiosk's, each once."""
    for language in LANGUAGES:
        if language not in languages:
            yield LintViolation("missing-language", f"{language} is not in the catalog's languages", None, language)
    for language in languages:
        if language not in LANGUAGES:
            yield LintViolation("languages", f"the kiosk has no {language!r} (it has {', '.join(LANGUAGES)})")
    if len(set(languages)) != len(languages):
        yield LintViolation("languages", "a language is listed twice")


def _lint_entry(code: str, entry: Any, languages: Sequence[str]) -> Iterator[LintViolation]:
    if not isinstance(entry, Mapping):
        yield LintViolation("schema", "an entry is an object with a kind and one object per language", code)
        return
    kind = entry.get("kind")
    if kind not in KINDS:
        yield LintViolation("kind", f"kind must be one of {', '.join(KINDS)}, not {kind!r}", code)
    elif code in REQUIRED_CODES and kind != REQUIRED_CODES[code]:
        yield LintViolation("kind", f"kind must be {REQUIRED_CODES[code]!r}, not {kind!r}", code)
    for key in sorted(set(entry) - {"kind", *languages}):
        yield LintViolation("schema", f"unknown key {key!r} (not a language of the catalog)", code)

    found: dict[str, Mapping[str, Any]] = {}
    for language in languages:
        texts = entry.get(language)
        if texts is None:
            yield LintViolation("missing-language", "no text in this language", code, language)
        elif not isinstance(texts, Mapping):
            yield LintViolation("schema", "the texts of a language are an object of field: text", code, language)
        else:
            found[language] = texts
            yield from _lint_texts(code, kind, language, texts)
    yield from _lint_across_languages(code, found)


def _lint_across_languages(code: str, found: Mapping[str, Mapping[str, Any]]) -> Iterator[LintViolation]:
    """Placeholders and the presence of a way on are the same in every language."""
    if not found:
        return
    reference_language, reference = next(iter(found.items()))
    for language, texts in found.items():
        if language == reference_language:
            continue
        for field in FIELDS:
            if field not in texts or field not in reference:
                continue  # reported with the field itself
            mine, theirs = texts[field], reference[field]
            if field == "proceed_action" and (mine is None) != (theirs is None):
                message = f"null here but not in {reference_language}, or the reverse"
                yield LintViolation("proceed-action", message, code, language, field)
            if isinstance(mine, str) and isinstance(theirs, str):
                try:
                    here, there = sorted(placeholders(mine)), sorted(placeholders(theirs))
                except ValueError:
                    continue  # reported with the field itself
                if here != there:
                    message = f"{here} differ from {reference_language}'s {there}"
                    yield LintViolation("placeholders", message, code, language, field)


def _lint_texts(code: str, kind: Any, language: str, texts: Mapping[str, Any]) -> Iterator[LintViolation]:
    for key in sorted(set(texts) - set(FIELDS)):
        yield LintViolation("schema", f"unknown field {key!r}", code, language)
    plain: dict[str, str] = {}  # every readable field, its placeholders filled with sample values
    for field in FIELDS:
        problems, text = _lint_field(code, kind, language, field, texts)
        yield from problems
        if text is not None:
            plain[field] = text
    yield from _lint_choices(code, kind, language, texts, plain)
    yield from _lint_sentence_counts(code, language, plain)

    style = {"en": _english_problems, "zh-Hans": _chinese_problems, "zh-Hant": _chinese_problems}.get(language)
    if style is None:
        return  # an unsupported language is reported once, at the top
    for field, text in plain.items():
        for rule, message in style(field, text, language):
            yield LintViolation(rule, message, code, language, field)


def _lint_field(
    code: str, kind: Any, language: str, field: str, texts: Mapping[str, Any]
) -> tuple[list[LintViolation], str | None]:
    """The problems of one field, and its text with sample values for its placeholders (None when
    there is no text the style rules could read)."""

    def violation(rule: str, message: str) -> LintViolation:
        return LintViolation(rule, message, code, language, field)

    if field not in texts:
        return [violation("missing-field", "missing")], None
    value = texts[field]
    if value is None and field == "proceed_action":
        return [], None
    if not isinstance(value, str):
        return [violation("schema", f"must be text, not {type(value).__name__}")], None
    if not value.strip():
        return [violation("empty", "is empty")], None
    problems = [violation("one-paragraph", "has a line break")] if "\n" in value or "\r" in value else []
    try:
        names = placeholders(value)
    except ValueError as exc:
        return [*problems, violation("placeholders", f"broken braces: {exc}")], None
    allowed = allowed_placeholders(code, kind)
    for name in sorted(names - allowed):
        problems.append(violation("placeholders", f"{{{name}}} is not allowed here (allowed: {sorted(allowed)})"))
    if field == "speech":
        problems.extend(violation("speech", message) for message in _speech_problems(value, names))
    samples = SAMPLE_VALUES["zh" if language.startswith("zh") else "en"]
    return problems, value.format_map({name: samples.get(name, name) for name in names})


def _lint_choices(
    code: str, kind: Any, language: str, texts: Mapping[str, Any], plain: Mapping[str, str]
) -> Iterator[LintViolation]:
    """No way on where a payment stays stopped; two choices that read differently."""
    if texts.get("proceed_action") is not None and (kind in NO_WAY_ON_KINDS or code in NO_WAY_ON_CODES):
        message = "must be null: there is no way on from this prompt"
        yield LintViolation("no-way-on", message, code, language, "proceed_action")
    if "safe_action" in plain and plain.get("safe_action") == plain.get("proceed_action"):
        message = "the safe and the risky choice have the same label"
        yield LintViolation("labels", message, code, language, "proceed_action")


def _lint_sentence_counts(code: str, language: str, plain: Mapping[str, str]) -> Iterator[LintViolation]:
    split = chinese_sentences if language.startswith("zh") else english_sentences
    if "what_happened" in plain and len(split(plain["what_happened"])) > MAX_WHAT_HAPPENED_SENTENCES:
        message = f"more than {MAX_WHAT_HAPPENED_SENTENCES} sentences"
        yield LintViolation("sentences", message, code, language, "what_happened")
    if "why_seeing" in plain:
        count, (low, high) = len(split(plain["why_seeing"])), WHY_SEEING_SENTENCES
        if not low <= count <= high:
            message = f"{count} sentences; one paragraph of {low} to {high}"
            yield LintViolation("sentences", message, code, language, "why_seeing")


def _speech_problems(text: str, names: set[str]) -> Iterator[str]:
    for name in sorted(names - SPEECH_PLACEHOLDERS):
        yield f"{{{name}}} is never spoken aloud"
    if _DIGITS.search(text):
        yield "digits or an amount: amounts and account numbers are never spoken"
    if _CURRENCY.search(text):
        yield "a currency: amounts are never spoken"


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return sorted({match.group(0) for match in pattern.finditer(text)})


def _english_problems(field: str, text: str, language: str) -> Iterator[tuple[str, str]]:
    for sentence in english_sentences(text):
        words = textstat.lexicon_count(sentence)
        if words > EN_MAX_SENTENCE_WORDS:
            yield "sentence-length", f"{words} words (max {EN_MAX_SENTENCE_WORDS}): {sentence!r}"
    grade = textstat.flesch_kincaid_grade(text)
    if grade > EN_MAX_GRADE:
        yield "reading-grade", f"Flesch-Kincaid grade {grade:.1f} (max {EN_MAX_GRADE:g}): {text!r}"
    words = textstat.lexicon_count(text)
    if field == "headline" and words > EN_MAX_HEADLINE_WORDS:
        yield "length", f"headline of {words} words (max {EN_MAX_HEADLINE_WORDS})"
    if field in LABEL_FIELDS and words > EN_MAX_LABEL_WORDS:
        yield "length", f"button label of {words} words (max {EN_MAX_LABEL_WORDS})"
    for rule, pattern in (("jargon", _EN_JARGON), ("blame", _EN_BLAME), ("fear", _EN_FEAR)):
        for word in _found(pattern, text):
            yield rule, f"{word!r}"
    if "!" in text:
        yield "fear", "an exclamation mark"
    for word in sorted(set(_CAPS_WORD.findall(text)) - EN_ALLOWED_CAPS):
        yield "fear", f"capitals {word!r}"


def _chinese_problems(field: str, text: str, language: str) -> Iterator[tuple[str, str]]:
    yield from _chinese_length_problems(field, text)
    yield from _chinese_word_problems(text, language)


def _chinese_length_problems(field: str, text: str) -> Iterator[tuple[str, str]]:
    for clause in chinese_clauses(text):
        if len(clause) > ZH_MAX_CLAUSE_CHARS:
            yield "clause-length", f"{len(clause)} characters (max {ZH_MAX_CLAUSE_CHARS}): {clause!r}"
    for sentence in chinese_sentences(text):
        length = chinese_length(sentence)
        if length > ZH_MAX_SENTENCE_CHARS:
            yield "sentence-length", f"{length} characters (max {ZH_MAX_SENTENCE_CHARS}): {sentence!r}"
    length = chinese_length(text)
    if field == "headline" and length > ZH_MAX_HEADLINE_CHARS:
        yield "length", f"headline of {length} characters (max {ZH_MAX_HEADLINE_CHARS})"
    if field in LABEL_FIELDS and length > ZH_MAX_LABEL_CHARS:
        yield "length", f"button label of {length} characters (max {ZH_MAX_LABEL_CHARS})"


def _chinese_word_problems(text: str, language: str) -> Iterator[tuple[str, str]]:
    for rule, words in (("jargon", ZH_JARGON[language]), ("blame", ZH_BLAME[language]), ("fear", ZH_FEAR[language])):
        for word in words:
            if word in text:
                yield rule, f"{word!r}"
    if "!" in text or "！" in text:
        yield "fear", "an exclamation mark"
    if _LATIN.search(text):
        yield "latin", f"Latin letters in Chinese text: {sorted(set(_LATIN.findall(text)))}"
    wrong = SIMPLIFIED_ONLY if language == "zh-Hant" else TRADITIONAL_ONLY
    mixed = sorted({char for char in text if char in wrong})
    if mixed:
        other = "simplified" if language == "zh-Hant" else "traditional"
        yield "script", f"{other} characters in {language}: {''.join(mixed)}"
