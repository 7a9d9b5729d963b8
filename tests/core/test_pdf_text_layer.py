"""The PDFs' text layer, read back by the engines people use: PDFium (Chrome),
poppler (Evince, Okular, pdftotext) and pypdf. Words typed the normal way must be
found, and lines must break between words, never inside one."""

import itertools
import shutil
import subprocess
import unicodedata

import pypdfium2
import pytest

from core.pdf import html_to_pdf
from core.pdf_text_layer import glyph_name_text
from tests.pdf_text import nfkc, pdf_text

# Words whose ำ or tone marks read back wrong before: มีนาคม as มีน้ำคม, no น้ำท่วม
# found by PDFium, ผูม้าประชุม and ทปี่ระชุม from poppler.
WORDS = [
    "มีนาคม",
    "การประชุม",
    "ผู้นำชุมชน",
    "น้ำท่วม",
    "กำหนด",
    "ดำเนินการ",
    "ผู้มาประชุม",
    "ที่ประชุม",
    "คำสั่ง",
    "อ่างเก็บน้ำ",
    "ประจำเดือน",
]
PARAGRAPH = (
    "ที่ประชุมรับทราบว่ากองช่างได้ดำเนินการซ่อมแซมถนนในชุมชนแล้ว ส่วนปัญหาน้ำท่วมขัง"
    "บริเวณอ่างเก็บน้ำให้ผู้นำชุมชนประสานกองสาธารณสุขภายในเดือนมีนาคม "
    "ผู้มาประชุมทุกคนเห็นชอบตามที่ประธานเสนอและให้กำหนดการประชุมประจำเดือนครั้งต่อไป "
)
# Words that libthai split inside when ำ was rewritten as ํ + า before layout
# (ได้ดำ|เนินการ, อ่างเก็บ|น้ำ). Compounds such as ผู้นำ|ชุมชน may break between
# their words, as Thai typesetting does.
UNBREAKABLE = ["ดำเนินการ", "อ่างเก็บน้ำ", "กำหนด", "สาธารณสุข", "ประสาน", "ประธาน"]


def _page(body: str) -> str:
    return (
        f"<!doctype html><html lang='th'><body><div style='width: 5.5cm'>{body}</div></body></html>"
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return html_to_pdf(_page(f"<p>{' '.join(WORDS)}</p><p>{PARAGRAPH}</p>"), thai_digits=False)


def pdfium_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def pdfium_finds(content: bytes, word: str) -> bool:
    document = pypdfium2.PdfDocument(content)
    return any(page.get_textpage().search(word).get_next() for page in document)


def poppler_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils (make e2e-deps does)")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def _no_line_breaks(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("word", WORDS)
def test_pdfium_reads_and_finds_each_word_as_typed(pdf, word):
    assert word in pdfium_text(pdf)
    assert pdfium_finds(pdf, word)


@pytest.mark.parametrize("word", WORDS)
def test_poppler_reads_each_word_as_typed(pdf, word):
    assert word in poppler_text(pdf)


def test_no_reader_reads_a_word_that_was_not_written(pdf):
    for text in (pdfium_text(pdf), poppler_text(pdf)):
        assert "มีน้ำคม" not in text
        assert "ผูม้" not in text
        assert "ทปี่" not in text
    assert nfkc("มีน้ำคม") not in pdf_text(pdf)


def test_pypdf_reads_each_word_up_to_nfkc(pdf):
    extracted = pdf_text(pdf)
    for word in WORDS:
        assert nfkc(word) in extracted, word


def test_the_paragraph_reads_back_whole(pdf):
    """Every character of the paragraph, in order, once the line breaks are removed."""
    expected = _no_line_breaks(PARAGRAPH)
    assert expected in _no_line_breaks(pdfium_text(pdf))
    assert expected in _no_line_breaks(poppler_text(pdf))


def test_lines_break_between_words_only(pdf):
    # Compared in NFKC, so that a layer writing ำ as ํ + า is checked too.
    lines = [nfkc(line.strip()) for line in poppler_text(pdf).splitlines() if line.strip()]
    joined = nfkc(_no_line_breaks(PARAGRAPH))
    for word in map(nfkc, UNBREAKABLE):
        assert word in joined
        # Each occurrence of the word sits on one line: none is split at a line end.
        for left, right in itertools.pairwise(lines):
            for cut in range(1, len(word)):
                assert not (left.endswith(word[:cut]) and right.startswith(word[cut:])), (
                    f"{word!r} broken as {word[:cut]!r} | {word[cut:]!r}"
                )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("uni0E4D", "\u0e4d"),
        ("uni0E32", "\u0e32"),
        ("uni0E4D0E49", "\u0e49\u0e4d"),  # ํ with mai tho: the tone mark first
        ("uni0E48.small", "\u0e48"),
        ("uni0E33", "\u0e33"),
        ("a", None),
        ("glyph123", None),
    ],
)
def test_glyph_names_give_their_characters_in_logical_order(name, text):
    assert glyph_name_text(name) == text


def test_the_text_layer_agrees_with_nfkc_of_what_was_typed():
    assert unicodedata.normalize("NFKC", "น้ำ") == "น" + glyph_name_text("uni0E4D0E49") + "\u0e32"
