"""The web font: WOFF2 files made from the Sarabun TTFs the PDFs embed, small enough
for a phone on the hall's Wi-Fi, with every character the pages show."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

PROJECT = Path(settings.BASE_DIR)
FACE_URL = re.compile(r'url\("\.\./(fonts/sarabun/Sarabun-(\w+)\.(\w+))"\)')


def _stylesheet_faces() -> dict[str, str]:
    """Return the font files fonts.css names: static path -> face (Regular, Bold…)."""
    with open(finders.find("css/fonts.css"), encoding="utf-8") as file:
        return {path: face for path, face, _extension in FACE_URL.findall(file.read())}


def _features(font: TTFont, table: str) -> set[str]:
    return {record.FeatureTag for record in font[table].table.FeatureList.FeatureRecord}


def _characters_the_pages_use() -> set[str]:
    """Return every character of the templates, scripts, stylesheets and the Thai
    catalogue, and of the Thai the Python code writes (dates, demo names)."""
    sources = [
        *(PROJECT / "templates").rglob("*.html"),
        *(PROJECT / "static" / "js").rglob("*.js"),
        *(PROJECT / "static" / "css").rglob("*.css"),
        PROJECT / "locale" / "th" / "LC_MESSAGES" / "django.po",
    ]
    for app in ("core", "accounts", "communities", "meetings", "issues", "reports", "demo"):
        sources += [
            path for path in (PROJECT / app).rglob("*.py") if "migrations" not in path.parts
        ]
    characters = set()
    for path in sources:
        characters |= set(path.read_text(encoding="utf-8"))
    return {character for character in characters if ord(character) >= 0x20}


@pytest.mark.django_db
def test_pages_get_the_font_as_small_woff2_files(client):
    faces = _stylesheet_faces()
    assert set(faces.values()) == {"Regular", "SemiBold", "Bold"}
    for path in faces:
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as file:
            data = file.read()
        assert data[:4] == b"wOF2", path
        assert len(data) < 30 * 1024, path

    # The page preloads exactly the files the stylesheet asks for, so each is
    # fetched once, early, and no TTF travels to the browser.
    page = client.get("/accounts/login/").content.decode()
    preloaded = re.findall(r'<link rel="preload" href="/static/([^"]+)" as="font"', page)
    assert sorted(preloaded) == sorted(faces)
    assert ".ttf" not in page
    assert 'type="font/woff2" crossorigin' in page


def test_each_web_font_is_the_packages_ttf_with_the_same_glyphs():
    """Made from the installed package's TTFs (the PDFs' font): same version, same
    outlines and widths, so Thai looks the same on the page and on paper."""
    for path, face in _stylesheet_faces().items():
        web = TTFont(BytesIO(Path(finders.find(path)).read_bytes()))
        ttf = TTFont(Path(settings.SARABUN_FONT_DIR) / f"Sarabun-{face}.ttf")
        assert web.flavor == "woff2", path
        assert len(web.getGlyphOrder()) < len(ttf.getGlyphOrder())
        assert web["name"].getDebugName(5) == ttf["name"].getDebugName(5), (
            f"{path} was made from another version of the font: run manage.py build_webfonts"
        )
        assert web["head"].fontRevision == ttf["head"].fontRevision
        assert web["name"].getDebugName(4) == ttf["name"].getDebugName(4)
        ttf_cmap, web_cmap = ttf.getBestCmap(), web.getBestCmap()
        # Thai letters, tone marks, sara am, Thai digits and ฿.
        for code in [code for code in ttf_cmap if 0x0E00 <= code <= 0x0E7F]:
            web_glyph = web["glyf"][web_cmap[code]]
            ttf_glyph = ttf["glyf"][ttf_cmap[code]]
            web_glyph.expand(web["glyf"])
            ttf_glyph.expand(ttf["glyf"])
            assert web["hmtx"][web_cmap[code]] == ttf["hmtx"][ttf_cmap[code]], chr(code)
            assert (
                web_glyph.getCoordinates(web["glyf"])[0] == ttf_glyph.getCoordinates(ttf["glyf"])[0]
            ), chr(code)
        # The shaping rules, all of them: marks placed over and under letters (mark,
        # mkmk), sara am split (ccmp), kerning. With fewer, tone marks moved a pixel.
        for table in ("GSUB", "GPOS"):
            assert _features(web, table) == _features(ttf, table), table


@pytest.mark.parametrize("face", ["Regular", "SemiBold", "Bold"])
def test_the_web_font_has_every_character_the_pages_use(face):
    used = _characters_the_pages_use()
    web = TTFont(BytesIO(Path(finders.find(f"fonts/sarabun/Sarabun-{face}.woff2")).read_bytes()))
    ttf = TTFont(Path(settings.SARABUN_FONT_DIR) / f"Sarabun-{face}.ttf")
    web_cmap, ttf_cmap = web.getBestCmap(), ttf.getBestCmap()
    # What Sarabun has, the web font has; the few signs Sarabun lacks (▸ ▾ ✓ ✗)
    # come from the device's fonts on the page as in the TTF.
    missing = sorted(c for c in used if ord(c) in ttf_cmap and ord(c) not in web_cmap)
    assert not missing, f"not in the web font: {missing}: widen core.webfonts.UNICODE_RANGES"
    assert {"ก", "ำ", "่", "๙", "฿", "–", "—", "“", "”", "…", "·", "×", "←", "→"} <= {
        chr(code) for code in web_cmap
    }
