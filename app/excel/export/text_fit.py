"""How much room wrapped text needs in a cell: lines at a column width, and the row height they take.

Spreadsheet programs do not size a row to its wrapped text when they open an xlsx (LibreOffice draws the overflow over
the next rows), so the export sets every row's height itself. Measured conservatively, without rendering a font:
character widths are DejaVu Sans's (what LibreOffice falls back to without Calibri, and the widest of the usual
sans-serif fonts, Calibri and Liberation Sans included) in units of the width of a digit, the unit of a column width.
Text is broken only at spaces, as both programs do at least, so the count is never below theirs.

Pure: no openpyxl, no Flask.
"""

from __future__ import annotations

import math

# Advance widths in hundredths of a digit "0" (DejaVu Sans, rounded up), grouped by width.
_WIDTH_GROUPS = {
    44: "'ijlìíîïĩīĭįıĵĺļ",
    45: "ł",
    47: "IJÌÍÎÏĨĪĬĮİĴ",
    50: " ,.\xa0·‘’‚",
    53: "/:;\\|¦",
    54: "ŀ",
    56: "fſ",
    57: "-",
    59: "ľ",
    62: "()[]tţťŧ",
    63: "‹›",
    64: "!¡²³¹",
    65: "rŕŗř",
    73: "\"",
    75: "ªº",
    79: "*_`§¨¯°´¸–†",
    82: "sśŝşš“”„",
    83: "zźżž",
    84: "?¿",
    87: "cçćĉċč",
    88: "LĳĹĻĽĿ",
    89: "Ł",
    91: "F",
    92: "kķĸ",
    93: "Ĳ•",
    94: "vxyýÿŷ",
    95: "P",
    96: "Þ",
    97: "TYaeo«»ÝàáâãäåèéêëðòóôõöøāăąēĕėęěōŏőŢŤŦŶŸ",
    100: "$0123456789ESbdghnpqu{}¢£¤¥µ¶ÈÉÊËßñùúûüþďđĒĔĖĘĚĝğġģĥńņňŋŚŜŞŠũūŭůűų€",
    104: "KĶ",
    108: "ABVXZÀÁÂÃÄÅĀĂĄŹŻŽ",
    110: "CRÇĆĈĊČħŔŖŘ",
    116: "UÙÚÛÜŨŪŬŮŰŲ",
    118: "NÑŃŅŇŊ",
    119: "HĤ",
    121: "◆",
    122: "DGÐĎĐĜĞĠĢ",
    123: "&",
    124: "OQÒÓÔÕÖØŌŎŐ",
    128: "ŉ",
    129: "wŵ",
    132: "#+<=>^~¬±×÷−✓✔→←↑↓",
    136: "M",
    141: "☑",
    144: "Ħ",
    150: "%",
    153: "¼½¾",
    154: "mÆ",
    155: "æ",
    156: "WŴ",
    158: "@©®—…™",
    161: "œ",
    169: "Œ",
    211: "‰",
}
WIDTHS: dict[str, float] = {char: width / 100 for width, chars in _WIDTH_GROUPS.items() for char in chars}
UNKNOWN_WIDTH = 1.6  # a character outside the table (CJK, emoji …): as wide as the widest letters
SAFETY = 1.06  # text measured 6 % wider than the table says: Calibri's n, o, m and w are a little wider
CELL_PADDING = 0.5  # digits of a column's width that the cell's left and right padding take
BOLD = 1.2  # bold text is at most this much wider
LINE_HEIGHT = 15.0  # points per line of 11-point text: Excel's (Calibri); LibreOffice's DejaVu Sans needs 12.8
ROW_PADDING = 3.0  # points above and below the lines of a row
HEIGHT_STEP = 0.75  # row heights are rounded up to whole pixels (0.75 pt), as Excel stores them

_word_widths: dict[str, float] = {}
_CACHE_LIMIT = 100_000


def text_width(text: str) -> float:
    """The text's width in digits, with the safety margin."""
    width = _word_widths.get(text)
    if width is None:
        width = sum(WIDTHS.get(char, UNKNOWN_WIDTH) for char in text) * SAFETY
        if len(_word_widths) >= _CACHE_LIMIT:
            _word_widths.clear()
        _word_widths[text] = width
    return width


def line_count(text: str, column_width: float, *, bold: bool = False) -> int:
    """The lines the text takes when wrapped in a column this wide (in Excel's width units); 1 at least."""
    room = (column_width - CELL_PADDING) / (BOLD if bold else 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        lines += _paragraph_lines(paragraph, room)
    return max(lines, 1)


def _paragraph_lines(paragraph: str, room: float) -> int:
    if len(paragraph) * UNKNOWN_WIDTH * SAFETY <= room:  # short text: one line whatever its letters
        return 1
    space = WIDTHS[" "] * SAFETY
    lines, used = 1, -1.0  # used < 0: nothing on the line yet
    for word in paragraph.split(" "):
        if not word:
            continue
        width = text_width(word)
        if used >= 0 and used + space + width <= room:
            used += space + width
            continue
        if used >= 0:
            lines += 1
        if width <= room:
            used = width
        else:  # a word longer than a line is broken between letters, each piece filling a line less a letter
            piece = max(room - UNKNOWN_WIDTH, 1.0)
            extra = math.ceil(width / piece) - 1
            lines += extra
            used = width - extra * piece
    return lines


def row_height(lines: int) -> float:
    """The height in points of a row holding this many lines of 11-point text."""
    return points(lines * LINE_HEIGHT + ROW_PADDING)


def points(height: float) -> float:
    """A height rounded up to the next whole pixel."""
    return math.ceil(height / HEIGHT_STEP - 1e-9) * HEIGHT_STEP
