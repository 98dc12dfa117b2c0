"""The one theming mechanism: a QSS stylesheet generated from a Theme.

Every size and colour comes from here, through the stylesheet only (never setFont or a
palette as well: a font size set in QSS overrides setFont). Changing the theme and
re-applying the stylesheet changes text size and contrast on every screen at once.

Widgets say what they are with the dynamic property ``role`` (title, instruction, primary,
secondary, nav, error, …); the stylesheet styles roles, never individual widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Elder mode: body text >= 18 pt, adjustable up to >= 30 pt. Standard: a comfortable 14 pt.
ELDER_TEXT_SIZES = (18, 22, 26, 30, 34)
ELDER_DEFAULT_TEXT = 22
STANDARD_TEXT_SIZES = (13, 14, 16, 18)
STANDARD_DEFAULT_TEXT = 14
CHROME_MAX_PT = 22
KEY_MAX_PT = 26
COMPACT_MAX_PT = 26

FONT_FAMILIES = {
    "zh-Hans": '"Noto Sans CJK SC", "Noto Sans SC", "Noto Sans", "DejaVu Sans", sans-serif',
    "zh-Hant": '"Noto Sans CJK TC", "Noto Sans TC", "Noto Sans", "DejaVu Sans", sans-serif',
    "en": '"Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif',
}


@dataclass(frozen=True)
class Colours:
    page: str
    text: str
    muted: str
    panel: str
    border: str
    primary: str
    primary_text: str
    secondary_text: str
    focus: str
    error: str
    error_panel: str
    success: str
    disabled_text: str


# Elder mode: WCAG AAA (>= 7:1 for all text). Standard: AA (>= 4.5:1). Borders, icons and the
# focus ring >= 3:1 against what they sit on. The audit measures these on the real widgets.
ELDER_COLOURS = Colours(
    page="#FFFFFF",
    text="#111111",
    muted="#333333",
    panel="#F2F2F2",
    border="#1A1A1A",
    primary="#0B3A7E",
    primary_text="#FFFFFF",
    secondary_text="#0B3A7E",
    focus="#B34700",
    error="#8A0000",
    error_panel="#FFF0F0",
    success="#0A5A1F",
    disabled_text="#4D4D4D",
)
STANDARD_COLOURS = Colours(
    page="#F6F7F9",
    text="#1F2933",
    muted="#4A5563",
    panel="#FFFFFF",
    border="#6B7280",
    primary="#1D5FB4",
    primary_text="#FFFFFF",
    secondary_text="#1D4F94",
    focus="#B34700",
    error="#A61B1B",
    error_panel="#FFF1F1",
    success="#1F6F35",
    disabled_text="#5F6B7A",
)


@dataclass(frozen=True)
class Theme:
    elder: bool = True
    text_pt: int = ELDER_DEFAULT_TEXT
    language: str = "zh-Hans"
    # A low window (1024x768): headings, messages and values grow less past COMPACT_MAX_PT, so a
    # screen's question, its field and the problem with it still fit together at 34 pt.
    compact: bool = False

    @classmethod
    def for_mode(cls, elder: bool, language: str = "zh-Hans") -> Theme:
        return cls(elder, ELDER_DEFAULT_TEXT if elder else STANDARD_DEFAULT_TEXT, language)

    @property
    def colours(self) -> Colours:
        return ELDER_COLOURS if self.elder else STANDARD_COLOURS

    @property
    def text_sizes(self) -> tuple[int, ...]:
        return ELDER_TEXT_SIZES if self.elder else STANDARD_TEXT_SIZES

    @property
    def min_target_px(self) -> int:
        return 60 if self.elder else 44

    @property
    def min_text_pt(self) -> int:
        return 18 if self.elder else 12

    def larger(self) -> Theme:
        bigger = [s for s in self.text_sizes if s > self.text_pt]
        return replace(self, text_pt=bigger[0]) if bigger else self

    def smaller(self) -> Theme:
        smaller = [s for s in self.text_sizes if s < self.text_pt]
        return replace(self, text_pt=smaller[-1]) if smaller else self

    def with_mode(self, elder: bool) -> Theme:
        return replace(Theme.for_mode(elder, self.language), compact=self.compact)

    def with_language(self, language: str) -> Theme:
        return replace(self, language=language)

    @property
    def chrome_pt(self) -> int:
        """The frame (display controls, navigation bar, pager) grows with the text only up to
        CHROME_MAX_PT: the larger text goes to the screen's own content, where it is read."""
        return min(self.text_pt, CHROME_MAX_PT)

    def stylesheet(self) -> str:
        c = self.colours
        body = self.text_pt
        # Headings stand out by a few points, not by a factor: at 34 pt a factor leaves no room.
        title = body + min(round(body * 0.45), 8)
        large = body + min(round(body * 0.25), 4)
        amount = body + min(round(body * 0.9), 14)
        if self.compact:
            title, large, amount = min(title, COMPACT_MAX_PT + 6), min(large, COMPACT_MAX_PT), min(amount, 40)
        small = max(round(body * 0.85), self.min_text_pt)
        chrome = self.chrome_pt
        # A questionnaire's question is its largest text but the numbers: on a small screen a little
        # above the capped headings, so three lines of it and the scale still fit on one part.
        question = max(large, min(body, COMPACT_MAX_PT + 4)) if self.compact else large
        key = min(body, KEY_MAX_PT)  # four rows of keys beside the field, on a 1024x768 screen too
        instruction = large if body < 26 else body  # the title stands out; instructions and messages need not
        if self.compact:
            instruction = min(body, COMPACT_MAX_PT)
        target = self.min_target_px
        pad = max(target // 5, 8)
        border = 3 if self.elder else 2
        focus = 5 if self.elder else 3
        family = FONT_FAMILIES.get(self.language, FONT_FAMILIES["en"])
        return f"""
* {{ font-family: {family}; font-size: {body}pt; color: {c.text}; }}
QMainWindow, QWidget#page, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {c.page};
}}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {title}pt; font-weight: 700; }}
QLabel[role="instruction"] {{ font-size: {instruction}pt; color: {c.muted}; }}
QLabel[role="muted"] {{ color: {c.muted}; font-size: {small}pt; }}
QLabel[role="amount"] {{ font-size: {amount}pt; font-weight: 700; }}
QLabel[role="value"] {{ font-size: {large}pt; font-weight: 700; }}
QLabel[role="question"] {{ font-size: {question}pt; font-weight: 700; }}
QLabel[role="error"] {{
    color: {c.error}; background: {c.error_panel}; border: {border}px solid {c.error};
    border-radius: 8px; padding: {pad // 2}px {pad}px; font-size: {instruction}pt;
}}
QLabel[role="info"] {{
    color: {c.text}; background: {c.panel}; border: {border}px solid {c.border};
    border-radius: 8px; padding: {pad // 3}px {pad}px; font-size: {instruction}pt;
}}
QLabel[role="info"]:focus {{ border: {focus}px solid {c.focus}; }}
QLabel[role="success"] {{ color: {c.success}; font-size: {large}pt; font-weight: 700; }}
QLabel[role="busy"] {{
    color: {c.text}; background: {c.panel}; border: {border}px solid {c.border}; border-radius: 8px;
    padding: {pad}px; font-size: {large}pt;
}}
QFrame[role="panel"] {{ background: {c.panel}; border: {border}px solid {c.border}; border-radius: 10px; }}
QFrame[role="warning"] {{ background: {c.panel}; border: {border + 1}px solid {c.focus}; border-radius: 10px; }}
QPushButton {{
    min-height: {target}px; min-width: {target}px; padding: {pad // 2}px {pad}px;
    border-radius: 10px; border: {border}px solid {c.primary}; margin: {focus - border}px;
    background: {c.page}; color: {c.secondary_text}; font-weight: 600;
}}
QPushButton[role="primary"] {{ background: {c.primary}; color: {c.primary_text}; }}
QPushButton[role="tile"] {{
    background: {c.panel}; color: {c.text}; border: {border}px solid {c.border};
    font-size: {large}pt; font-weight: 700; text-align: left; padding: {pad}px;
}}
QPushButton[role="nav"] {{ background: {c.panel}; color: {c.text}; border: {border}px solid {c.border}; }}
QPushButton[role="key"] {{
    background: {c.panel}; color: {c.text}; border: {border}px solid {c.border};
    font-size: {key}pt; font-weight: 700; padding: 2px 4px;
    min-height: {target - 2 * focus - 4}px;  /* with border, margin and padding: the target, no more */
}}
QPushButton[role="scale"] {{
    background: {c.panel}; color: {c.text}; border: {border}px solid {c.border};
    font-size: {title}pt; font-weight: 700; padding: 2px 4px; min-height: {target + target // 4}px;
}}
QPushButton[role="scale"][chosen="true"] {{ background: {c.primary}; color: {c.primary_text}; }}
QPushButton[chrome="true"], QPushButton[chrome="true"] QLabel, QLabel[chrome="true"] {{ font-size: {chrome}pt; }}
QPushButton[chrome="true"] {{ padding: 2px 8px; }}
QPushButton:checked {{ background: {c.primary}; color: {c.primary_text}; }}
QPushButton QLabel {{ color: {c.secondary_text}; font-weight: 600; }}
QPushButton[role="tile"] QLabel {{ color: {c.text}; font-size: {large}pt; font-weight: 700; }}
QPushButton[role="primary"] QLabel {{ color: {c.primary_text}; }}
QPushButton[role="key"] QLabel {{ color: {c.text}; font-size: {key}pt; font-weight: 700; }}
QPushButton QLabel[role="on_primary"] {{ color: {c.primary_text}; }}
QPushButton:disabled {{ color: {c.disabled_text}; border-style: dashed; border-color: {c.disabled_text}; }}
QPushButton:focus {{ border: {focus}px solid {c.focus}; margin: 0px; }}
QLineEdit {{
    min-height: {target}px; padding: 4px {pad}px; background: {c.page}; color: {c.text};
    border: {border}px solid {c.border}; border-radius: 8px; font-size: {large}pt; margin: {focus - border}px;
}}
QLineEdit:focus {{ border: {focus}px solid {c.focus}; margin: 0px; }}
QScrollBar:vertical {{ width: {max(target // 3, 16)}px; background: {c.panel}; border: 1px solid {c.border}; }}
QScrollBar::handle:vertical {{ background: {c.border}; min-height: {target}px; border-radius: 6px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
QFrame[role="row"] {{ background: transparent; border: none; border-bottom: 1px solid {c.border}; border-radius: 0px; }}
QListWidget {{
    background: {c.page}; color: {c.text}; border: {border}px solid {c.border}; border-radius: 8px;
}}
QListWidget::item {{ min-height: {target}px; padding: {pad // 2}px; border-bottom: 1px solid {c.border}; }}
QListWidget::item:selected {{ background: {c.primary}; color: {c.primary_text}; }}
QListWidget:focus {{ border: {focus}px solid {c.focus}; }}
"""


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two '#RRGGBB' colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
