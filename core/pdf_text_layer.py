"""A text layer that every PDF reader reads right, for Thai drawn by WeasyPrint.

WeasyPrint draws ำ (SARA AM) as two glyphs, and Sarabun draws a tone mark over ำ
as one ligature glyph. WeasyPrint's ToUnicode map gives each glyph the text of the
first cluster it met it in (upstream issue 2841), so one glyph shared by า and ำ
reads as whichever came first, and the first glyph of ำ reads as nothing: copying
or searching the PDF finds มีน้ำคม for มีนาคม, or no น้ำท่วม at all.

Two changes, each independent of this project and small enough to offer upstream:

1. Every text box is drawn inside a marked-content span whose ``/ActualText`` is
   the box's own text (PDF 1.5, §14.9.4). Readers that honour it — PDFium (Chrome),
   poppler (Evince, Okular, pdftotext), MuPDF, pdf.js — copy and search exactly the
   characters that were written, whatever the glyphs.
2. Glyphs that the map leaves empty or gives a ำ are mapped from the font's own glyph
   names (``uni0E4D``, ``uni0E4D0E49``), in Thai logical order, so readers of the
   ToUnicode map alone (pypdf) read the same characters up to NFKC (ำ = ํ + า).

The text itself stays as typed: ำ is never rewritten before layout, so libthai
still sees whole words and breaks lines between them.
"""

import io
import re

import pydyf
import weasyprint.draw
from fontTools.ttLib import TTFont

SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
# Marks drawn above a consonant that a ligature glyph may combine with ํ; in
# logical order they come before it (น้ำ is น ้ ํ า once ำ is decomposed).
THAI_ABOVE_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_UNI_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)$")

_draw_text = weasyprint.draw.draw_text


def glyph_name_text(name: str) -> str | None:
    """Return the text a glyph named after its characters stands for, in logical
    order (``uni0E4D0E49`` → ้ํ), or None for another kind of name."""
    match = _UNI_NAME.match(name.split(".")[0])
    if not match:
        return None
    hexes = match.group(1)
    chars = [chr(int(hexes[i : i + 4], 16)) for i in range(0, len(hexes), 4)]
    # A tone mark or above vowel goes before the nikhahit it is drawn with.
    chars.sort(key=lambda char: 0 if char in THAI_ABOVE_MARKS else 1 if char == NIKHAHIT else 2)
    return "".join(chars)


def _glyph_names(font) -> list[str]:
    names = getattr(font, "_text_layer_glyph_names", None)
    if names is None:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        names = font._text_layer_glyph_names = ttfont.getGlyphOrder()
    return names


def _mend_to_unicode(font) -> None:
    """Map the glyphs that WeasyPrint mapped to nothing or to a ำ from their names."""
    checked = getattr(font, "_text_layer_checked", 0)
    if checked == len(font.to_unicode):
        return
    for glyph_id, text in font.to_unicode.items():
        if text and SARA_AM not in text:
            continue
        names = _glyph_names(font)
        if glyph_id < len(names) and (named := glyph_name_text(names[glyph_id])):
            font.to_unicode[glyph_id] = named
    font._text_layer_checked = len(font.to_unicode)


def draw_text_with_actual_text(stream, textbox, *args, **kwargs):
    """Draw ``textbox`` as WeasyPrint does, inside a span carrying its real text."""
    text = textbox.text
    if not text.strip() or textbox.style["visibility"] != "visible":
        return _draw_text(stream, textbox, *args, **kwargs)
    # The plain pydyf operator: WeasyPrint's own ``marked`` also registers a tag.
    pydyf.Stream.begin_marked_content(
        stream, "Span", pydyf.Dictionary({"ActualText": pydyf.String(text)})
    )
    try:
        return _draw_text(stream, textbox, *args, **kwargs)
    finally:
        pydyf.Stream.end_marked_content(stream)
        for font in stream._fonts.values():
            _mend_to_unicode(font)


def install() -> None:
    """Make WeasyPrint draw every text box this way (idempotent)."""
    weasyprint.draw.draw_text = draw_text_with_actual_text
