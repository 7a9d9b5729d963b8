"""Official PDFs as an archive and a screen reader need them: PDF/A-3b with its
metadata, and tagged."""

import io

import pikepdf
import pytest
from django.test import override_settings
from PIL import Image

from core.pdf import html_to_pdf, image_data_uri

PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"


def _png_data_uri() -> str:
    class _File:
        def __init__(self, data):
            self._data = data

        def open(self, mode):
            return io.BytesIO(self._data)

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "JPEG")
    return image_data_uri(_File(buffer.getvalue()))


@pytest.fixture
def pdf() -> pikepdf.Pdf:
    html = (
        "<!doctype html><html lang='th'><head><title>รายงานการประชุมผู้นำชุมชน</title></head>"
        "<body><h1>รายงานการประชุม</h1><p>ที่ประชุมรับทราบ</p>"
        f"<img src='{_png_data_uri()}' alt='ผู้นำชุมชนร่วมประชุมประจำเดือน'></body></html>"
    )
    with override_settings(MUNICIPALITY_NAME="เทศบาลนครหัวหิน"):
        content = html_to_pdf(html, thai_digits=True, subject="การประชุมครั้งที่ ๑๒/๒๕๖๙")
    return pikepdf.open(io.BytesIO(content))


def test_it_is_pdf_a_3b(pdf):
    intent = pdf.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent
    with pdf.open_metadata() as xmp:
        assert xmp[f"{PDFA_ID}part"] == "3"
        assert xmp[f"{PDFA_ID}conformance"] == "B"


def test_it_names_its_issuer_title_subject_date_and_language(pdf):
    info = pdf.docinfo
    assert str(info.Author) == "เทศบาลนครหัวหิน"
    assert str(info.Title) == "รายงานการประชุมผู้นำชุมชน"
    assert str(info.Subject) == "การประชุมครั้งที่ ๑๒/๒๕๖๙"
    assert str(info.CreationDate).startswith("D:20")
    assert str(info.CreationDate).endswith("+07'00")  # the municipality's clock
    assert str(pdf.Root.Lang) == "th"
    with pdf.open_metadata() as xmp:
        assert xmp["{http://purl.org/dc/elements/1.1/}creator"] == ["เทศบาลนครหัวหิน"]


def _elements(node):
    yield node
    kids = node.get("/K")
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                yield from _elements(kid)
    elif isinstance(kids, pikepdf.Dictionary):
        yield from _elements(kids)


def test_it_is_tagged_with_headings_paragraphs_and_described_photos(pdf):
    assert pdf.Root.MarkInfo.Marked is True
    kinds = {str(element.get("/S")) for element in _elements(pdf.Root.StructTreeRoot)}
    assert {"/H1", "/P", "/Figure"} <= kinds
    figures = [e for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
    assert [str(figure.Alt) for figure in figures] == ["ผู้นำชุมชนร่วมประชุมประจำเดือน"]
