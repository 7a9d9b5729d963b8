"""Reading a PDF back as a person copying from it would."""

import io
import unicodedata

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """Return the text layer of the PDF, NFKC-normalised (ํ + า and ำ compare equal)."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdf_fonts(content: bytes) -> set[str]:
    """Return the names of the fonts the PDF's pages use."""
    reader = PdfReader(io.BytesIO(content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts
