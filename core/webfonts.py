"""The web font: Sarabun's TTFs, cut down to the characters pages show and packed as WOFF2.

The PDFs embed the package's TTFs whole (``settings.SARABUN_FONT_DIR``); browsers get
these smaller files, made from the same TTFs by ``manage.py build_webfonts`` and kept in
``static/fonts/sarabun``. The tests check that they carry the package's version and every
character the templates, scripts and the Thai catalogue use.
"""

from io import BytesIO
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# The faces the stylesheets use: regular text, the 600 of labels and table headers,
# and the 700 of headings (an <em> is slanted from the regular face).
WEB_FONT_FACES = ("Regular", "SemiBold", "Bold")

# What the pages show: Thai (with Thai digits and ฿), ASCII, Latin-1 (accented names,
# §, ±, ×, ·), and the punctuation, currency signs, arrows and shapes of the templates
# (– — “ ” ‘ ’ … ‹ › ← → ▲ ▼). Latin Extended and Vietnamese, the rest of the TTF,
# are left out: nothing the municipality writes needs them.
UNICODE_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0E00, 0x0E7F),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
)

# The name records a browser or a reader of the file needs: family, style, version,
# and the licence (SIL OFL 1.1, which asks that it travel with the font).
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


def web_font_unicodes() -> list[int]:
    """Return every code point the web font is cut down to."""
    return [code for first, last in UNICODE_RANGES for code in range(first, last + 1)]


def unicode_range_css() -> str:
    """Return ``UNICODE_RANGES`` as the value of a CSS ``unicode-range`` descriptor."""
    return ", ".join(f"U+{first:04X}-{last:04X}" for first, last in UNICODE_RANGES)


def web_font_build(ttf_path: Path) -> bytes:
    """Return the WOFF2 of the TTF at ``ttf_path``, cut down to ``UNICODE_RANGES``.

    The glyph outlines and every layout feature are kept as they are in the TTF: Thai
    mark positioning (``mark``, ``mkmk``), the composition of sara am (``ccmp``) and
    kerning. Keeping only the features browsers apply by default moved tone marks by
    a pixel at text sizes, so all are kept (0.7 KiB a file) and Thai renders pixel
    for pixel as it does with the TTF.
    """
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = list(_NAME_IDS)
    options.name_languages = [0x0409]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    # The build date is not written in, so the same TTF always gives the same file.
    font = TTFont(ttf_path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=web_font_unicodes())
    subsetter.subset(font)
    output = BytesIO()
    subset.save_font(font, output, options)
    return output.getvalue()
