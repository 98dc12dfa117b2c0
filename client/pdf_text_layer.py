"""Mending the text layer of a PDF written by Qt, and giving it its language.

Qt's PDF writer builds each font's ToUnicode map (what copying, searching and screen readers get)
backwards, from glyph to character, taking the lowest code point the font maps to each glyph
(QFontSubset::getReverseMap). Noto Sans CJK, in every regional face (SC, TC, HK and JP alike),
draws a Kangxi radical (U+2F00-U+2FDF) and its ideograph with one glyph, so 心 水 月 日 金 come out
as the radicals ⼼ ⽔ ⽉ ⽇ ⾦; the space glyph comes out as a tab. Choosing another face does not
help, and Qt has no setting for it. Whoever wrote the PDF knows which characters it drew, and so
which wrong character Qt wrote for each: this module puts the right ones back.

Qt does not tag its PDFs (no structure tree, no marked content), and this module does not add
tags either: the receipt's PDF is untagged. It does get its /Lang and shows its title.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, StreamObject, TextStringObject

_HEX = re.compile(r"<([0-9A-Fa-f]+)>")
_BLOCK = re.compile(r"begin(bfchar|bfrange)(.*?)end\1", re.S)


def _text(hex_digits: str) -> str:
    return bytes.fromhex(hex_digits).decode("utf-16-be", errors="replace")


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def parse_to_unicode(cmap: str) -> dict[int, str]:
    """code -> text, from a ToUnicode CMap's bfchar and bfrange blocks."""
    mapping: dict[int, str] = {}
    for kind, body in _BLOCK.findall(cmap):
        for line in body.strip().splitlines():
            if kind == "bfchar":
                source, target = _HEX.findall(line)[:2]
                mapping[int(source, 16)] = _text(target)
                continue
            low, high, *targets = _HEX.findall(line)
            first = int(low, 16)
            codes = range(first, int(high, 16) + 1)
            if "[" in line:  # one target per code
                mapping.update({code: _text(target) for code, target in zip(codes, targets, strict=True)})
            else:  # consecutive targets from the first
                start = _text(targets[0])
                mapping.update({code: start[:-1] + chr(ord(start[-1]) + code - first) for code in codes})
    return mapping


def build_to_unicode(mapping: Mapping[int, str]) -> str:
    entries = [f"<{code:04X}> <{_hex(text)}>" for code, text in sorted(mapping.items())]
    blocks = "".join(
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
        for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100))
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )


def mend(pdf: bytes, corrections: Mapping[str, str], language: str) -> bytes:
    """The PDF with every ToUnicode entry in ``corrections`` (wrong -> drawn) put right, its
    /Lang set to ``language`` and its title shown in the viewer's title bar."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        fonts = page.get("/Resources", DictionaryObject()).get_object().get("/Font", DictionaryObject())
        for font in fonts.get_object().values():
            stream = font.get_object().get("/ToUnicode")
            if stream is None:
                continue
            stream = stream.get_object()
            assert isinstance(stream, StreamObject)
            mapping = parse_to_unicode(stream.get_data().decode("latin-1"))
            stream.set_data(
                build_to_unicode({code: corrections.get(text, text) for code, text in mapping.items()}).encode()
            )
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
