"""Speech split into sentences, so the voice can play the first while it renders the rest.

``split_sentences(text)`` returns pieces that join back to exactly ``text`` (same words, same
order, same spaces); each piece ends after its sentence's closing mark and the spaces after it.

- Chinese marks end a sentence wherever they stand: 。！？； and …… (with any closing quote or
  bracket after them: 。” 。」 ！）).
- English marks (. ! ? ;) end one only when a space or the end of the text follows, so a number,
  amount, date or time is never cut: "¥1,000.00", "3.5", "10:45", "2026.11.30" stay whole. Common
  abbreviations ("Mr.", "e.g.") do not end a sentence either.
- A piece with nothing to say (only marks or spaces) joins the piece before it: empty text
  breaks espeak, and a mark alone gives no audio.
"""

from __future__ import annotations

_CHINESE_ENDS = frozenset("。！？；…")
_ENGLISH_ENDS = frozenset(".!?;")
_CLOSERS = frozenset("\"'”’」』）)]】》")
# Words that end with a full stop but not a sentence (compared in lower case, without the stop).
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "no", "e.g", "i.e", "etc", "vs", "approx"})


def has_words(text: str) -> bool:
    """Whether ``text`` holds anything a voice can say (a letter or a digit, in any script)."""
    return any(character.isalnum() for character in text)


def _ends_with_abbreviation(text: str) -> bool:
    """Whether ``text`` (up to, not including, a full stop) ends with an abbreviation."""
    word = text.rsplit(None, 1)[-1] if text.strip() else ""
    return word.lower().lstrip("(\"'") in _ABBREVIATIONS


def _sentence_end(text: str, index: int) -> int | None:
    """Where the sentence closed by the mark at ``index`` ends (after its closers), or None when
    the mark does not end a sentence."""
    mark = text[index]
    end = index + 1
    # "?!", "……", "..." and "。”" belong to the sentence they close.
    while end < len(text) and (text[end] in _CHINESE_ENDS or text[end] in _ENGLISH_ENDS or text[end] in _CLOSERS):
        end += 1
    if mark in _CHINESE_ENDS or any(character in _CHINESE_ENDS for character in text[index:end]):
        return end
    if end < len(text) and not text[end].isspace():
        return None  # 3.5, 1,000.00, 2026.11.30, www.example.cn: inside a number or a word
    if mark == "." and end == index + 1 and _ends_with_abbreviation(text[:index]):
        return None
    return end


def split_sentences(text: str) -> list[str]:
    """``text`` cut after each sentence; ``"".join(split_sentences(text)) == text``."""
    pieces: list[str] = []
    start = index = 0
    while index < len(text):
        character = text[index]
        if character not in _CHINESE_ENDS and character not in _ENGLISH_ENDS:
            index += 1
            continue
        end = _sentence_end(text, index)
        if end is None:
            index += 1
            continue
        while end < len(text) and text[end].isspace():
            end += 1
        pieces.append(text[start:end])
        start = index = end
    if start < len(text):
        pieces.append(text[start:])
    return _merge_wordless(pieces)


def _merge_wordless(pieces: list[str]) -> list[str]:
    merged: list[str] = []
    for piece in pieces:
        if merged and not has_words(piece):
            merged[-1] += piece
        elif merged and not has_words(merged[-1]):
            merged[-1] += piece  # the text began with marks: they go with the first sentence
        else:
            merged.append(piece)
    return merged
