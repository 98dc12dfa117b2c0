"""Pictures with the words: a simple line icon beside the label of the core tiles and the main
actions (recognition beats reading for many older customers), never an icon alone.

The icons are Tabler Icons (MIT, assets/icons/LICENSE), shipped as SVG in assets/icons/, and a
pin of our own drawn in their style (pin.svg: a pinned shortcut; a 📌 glyph is missing from the
kiosk's fonts and would show as an empty box). They are
drawn at render time in the colour of the button's own text, taken from the styled widget, so
they follow the theme (elder or standard, a primary or a plain button) with the text's contrast,
and at the height of a line of its text, so A+ and A- size them too.

A control carries an icon by the dynamic property ``iconName`` (ui.widgets.button(..., icon=) and
WrapButton(..., icon=) set it); :func:`decorate` draws every such control anew after a theme
change. :data:`CORE_ICONS` gives the core tiles and main actions theirs, in one place.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from ui.widgets import ICON_PROPERTY, WrapButton

ICONS = Path(__file__).resolve().parent.parent / "assets" / "icons"

# The core tiles and the main actions (object name -> icon file in assets/icons, without .svg).
CORE_ICONS = {
    "tile_balance": "wallet",
    "tile_send_payee": "send",
    "tile_bill_biller": "receipt",
    "tile_history": "history",
    "homeSignOut": "logout",
    "welcomeStart": "arrow-right",
    "reviewPay": "cash",
    "resultDone": "home",
    "resultReceipt": "file-text",
}
# Not the bottom bar (Back, Start over, Help, Call staff): four buttons side by side have no room
# for a picture beside their words at the largest text size, and the words come first.


@lru_cache(maxsize=16)
def svg(name: str) -> bytes:
    """The icon's SVG, as shipped."""
    return (ICONS / f"{name}.svg").read_bytes()


def pixmap(name: str, colour: QColor, size: int, scale: float = 1.0) -> QPixmap:
    """``name`` drawn ``size`` px square in ``colour`` (the SVG's currentColor)."""
    data = svg(name).replace(b"currentColor", colour.name().encode())
    renderer = QSvgRenderer(QByteArray(data))
    image = QPixmap(QSize(round(size * scale), round(size * scale)))
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(scale)
    return image


def text_colour(widget: QWidget) -> QColor:
    """The colour the widget's text is drawn in, as the stylesheet made it."""
    if isinstance(widget, QLabel):
        return widget.palette().color(QPalette.ColorRole.WindowText)
    return widget.palette().color(QPalette.ColorRole.ButtonText)


def mark(widgets: list[QWidget]) -> None:
    """Give the core tiles and main actions among ``widgets`` their icon (by object name)."""
    for widget in widgets:
        name = CORE_ICONS.get(widget.objectName())
        if name and isinstance(widget, QAbstractButton) and not widget.property(ICON_PROPERTY):
            widget.setProperty(ICON_PROPERTY, name)


def decorate(root: QWidget) -> None:
    """Draw the icon of every control under ``root`` that has one, in its text's colour and size."""
    mark(root.findChildren(QAbstractButton))
    for button in root.findChildren(QAbstractButton):
        draw(button)


def draw(button: QAbstractButton) -> None:
    """Draw ``button``'s icon (its ``iconName``), if it has one, in its text's colour and size; a
    button made after the screen was built (a shortcut) is drawn with this as soon as it is made."""
    name = button.property(ICON_PROPERTY)
    if not name:
        return
    button.ensurePolished()
    if isinstance(button, WrapButton):
        button.caption.ensurePolished()
        size = button.caption.fontMetrics().height()
        drawn = pixmap(str(name), text_colour(button.caption), size, button.devicePixelRatioF())
        button.icon_label.setPixmap(drawn)
        button.icon_label.setFixedSize(size, size)
        button.icon_label.setVisible(True)
        # Picture and words read as one: the words start right beside the picture.
        button.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        button.updateGeometry()
    else:
        size = button.fontMetrics().height()
        button.setIcon(QIcon(pixmap(str(name), text_colour(button), size, button.devicePixelRatioF())))
        button.setIconSize(QSize(size, size))
