"""Thai PDFs with WeasyPrint: the Sarabun font embedded and a text layer that reads back right.

The text is laid out as typed, so libthai breaks lines between words; the text layer
(``core.pdf_text_layer``) gives every run its real text, so copying and searching the
PDF find the words typed the normal way in every reader.
"""

import base64
import contextlib
import datetime
import hashlib
import logging
import re
from pathlib import Path

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core import pdf_text_layer
from core.thaidates import to_thai_digits

pdf_text_layer.install()

logger = logging.getLogger(__name__)

FONT_FACES = (("Regular", 400, "normal"), ("Bold", 700, "normal"), ("Italic", 400, "italic"))
PRINT_STYLESHEET = (
    Path(__file__).resolve().parent.parent / "templates" / "core" / "pdf" / "print.css"
)
# Official documents are kept for years: PDF/A-3b (fonts embedded, colours
# defined, XMP metadata) and tagged, so that screen readers get the structure.
ARCHIVE_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
# Text between tags; attribute values (file paths of photos) keep their digits, and
# so does the text of an element marked translate="no" (a web address, a code).
_TEXT_BETWEEN_TAGS = re.compile(r'(translate="no"[^>]*)?>([^<]+)<')


def _font_css() -> str:
    font_dir = Path(settings.SARABUN_FONT_DIR)
    return "\n".join(
        f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; font-style: {style};'
        f' src: url("{(font_dir / f"Sarabun-{name}.ttf").as_uri()}"); }}'
        for name, weight, style in FONT_FACES
    )


def image_data_uri(field_file) -> str:
    """Return a stored JPEG as a ``data:`` URI for a PDF: read through the storage,
    so photos on object storage print as well as photos on disk."""
    with field_file.open("rb") as image:
        encoded = base64.b64encode(image.read()).decode("ascii")
    return f"data:image/jpeg;base64,{encoded}"


def with_thai_digits(html: str) -> str:
    """Return ``html`` with the digits of its text (not of its tags, nor of elements
    marked ``translate="no"``) written ๐-๙."""

    def convert(match: re.Match) -> str:
        kept, text = match.group(1), match.group(2)
        return f"{kept}>{text}<" if kept else f">{to_thai_digits(text)}<"

    return _TEXT_BETWEEN_TAGS.sub(convert, html)


def _page_number_css(thai_digits: bool) -> str:
    """Page numbers as official letters carry them, "- ๒ -" at the top from page two,
    and list numbers, in the digits of the text."""
    style = "thai" if thai_digits else "decimal"
    return (
        f'@page {{ @top-center {{ content: "- " counter(page, {style}) " -"; }} }}'
        "@page :first { @top-center { content: none; } }"
        # Numbered lists (the attendees) count in the same digits as the text.
        f"ol {{ list-style-type: {style}; }}"
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Return PDF bytes for the browser to show, saved as ``filename`` if downloaded."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# The documents already laid out, in the media storage (shared by every web worker
# and the task worker), each named by the fingerprint of what it is made from.
KEPT_FOLDER = "pdf-kept"
# Change it when a change of this module draws the same HTML differently.
RENDERING_VERSION = "1"
# A kept document laid out this long ago is removed (``prune_kept``): the figures
# it shows have moved on, or the task worker lays it out again for its readers.
KEPT_DAYS = 7
# Listing the folder costs a request to the storage for every kept file, so a web
# worker prunes at most this often; the task worker prunes after each round too.
PRUNE_EVERY = datetime.timedelta(hours=1)
_last_pruned: datetime.datetime | None = None
# The kept documents are a copy of what can always be laid out again: whatever a
# storage raises (an object store's client errors are not OSError), the document
# is laid out and served, and the failure logged.
STORAGE_ERRORS = (Exception,)
# A kept file without its end this long after it was last written is left over.
UNFINISHED_AFTER = datetime.timedelta(minutes=1)


def fingerprint(html: str, *, thai_digits: bool, subject: str = "") -> str:
    """Return the fingerprint of the PDF ``html_to_pdf`` makes of ``html``: of the
    HTML itself (every figure, name, date and photo the document shows), the digits,
    the subject, what the document metadata names, the print stylesheet, the fonts'
    folder, WeasyPrint's version and ``RENDERING_VERSION``. Any change to what the
    document shows changes it, so a kept document is never out of date."""
    digest = hashlib.sha256()
    for part in (
        RENDERING_VERSION,
        weasyprint.__version__,
        PRINT_STYLESHEET.read_text(encoding="utf-8"),
        str(settings.SARABUN_FONT_DIR),
        settings.MUNICIPALITY_NAME,
        settings.LANGUAGE_CODE,
        "thai" if thai_digits else "arabic",
        subject,
        html,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _kept_name(key: str) -> str:
    return f"{KEPT_FOLDER}/{key}.pdf"


def prune_kept(*, now: datetime.datetime | None = None) -> int:
    """Remove the kept documents older than ``KEPT_DAYS``; return how many."""
    now = now or timezone.now()
    removed = 0
    try:
        _folders, files = default_storage.listdir(KEPT_FOLDER)
    except STORAGE_ERRORS:
        return 0
    for file in files:
        name = f"{KEPT_FOLDER}/{file}"
        try:
            if now - default_storage.get_modified_time(name) > datetime.timedelta(days=KEPT_DAYS):
                default_storage.delete(name)
                removed += 1
        except STORAGE_ERRORS:
            continue
    return removed


def _read_kept(name: str) -> bytes | None:
    try:
        if not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as kept:
            content = kept.read()
    except STORAGE_ERRORS:
        logger.exception("The kept PDF %s could not be read; laying it out again", name)
        return None
    # A file on disk is written in place: read while another worker still writes it,
    # it stops short of the end-of-file marker every PDF ends with.
    if not content.rstrip().endswith(b"%%EOF"):
        logger.warning("The kept PDF %s is not whole yet; laying it out again", name)
        with contextlib.suppress(*STORAGE_ERRORS):
            # Left half-written by a worker that stopped: make room for a whole one.
            if timezone.now() - default_storage.get_modified_time(name) > UNFINISHED_AFTER:
                default_storage.delete(name)
        return None
    return content


def _keep(name: str, content: bytes) -> None:
    """Store ``content`` as ``name``; if another worker stored it first, keep theirs
    (the same document) and drop the copy the storage named otherwise."""
    try:
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            default_storage.delete(saved)
    except STORAGE_ERRORS:
        logger.exception("The PDF %s could not be kept", name)
        return
    global _last_pruned
    now = timezone.now()
    if _last_pruned is None or now - _last_pruned >= PRUNE_EVERY:
        _last_pruned = now
        prune_kept(now=now)


def kept_pdf(html: str, *, thai_digits: bool | None = None, subject: str = "") -> bytes:
    """Return ``html_to_pdf(html, …)``, laid out once: the document made the first
    time is kept in the media storage under ``fingerprint`` and served again, byte
    for byte, as long as the same HTML is asked for (its creation time is that of
    its first printing)."""
    if thai_digits is None:
        thai_digits = settings.PDF_THAI_DIGITS
    name = _kept_name(fingerprint(html, thai_digits=thai_digits, subject=subject))
    content = _read_kept(name)
    if content is None:
        content = html_to_pdf(html, thai_digits=thai_digits, subject=subject)
        _keep(name, content)
    return content


def render_pdf(
    template_name: str,
    context: dict,
    *,
    request=None,
    thai_digits: bool | None = None,
    keep: bool = False,
) -> bytes:
    """Render ``template_name`` to A4 PDF bytes (see ``html_to_pdf``); with ``keep``,
    laid out once for the same HTML (``kept_pdf``)."""
    html = render_to_string(template_name, context, request=request)
    if keep:
        return kept_pdf(html, thai_digits=thai_digits)
    return html_to_pdf(html, thai_digits=thai_digits)


def html_to_pdf(html: str, *, thai_digits: bool | None = None, subject: str = "") -> bytes:
    """Return ``html`` as A4 PDF/A-3b bytes in Sarabun with the print stylesheet:
    tagged for screen readers, with the municipality as author, the creation time,
    the document's language and title (its ``<title>``) and ``subject``.

    ``thai_digits`` (default: the ``PDF_THAI_DIGITS`` setting) writes the numbers
    of the text and the page numbers in Thai digits, as official documents do."""
    if thai_digits is None:
        thai_digits = settings.PDF_THAI_DIGITS
    if thai_digits:
        html = with_thai_digits(html)
    # One FontConfiguration for the stylesheets and the rendering, or the
    # @font-face rules are not seen when the text is laid out.
    font_config = FontConfiguration()
    stylesheets = [
        CSS(string=_font_css(), font_config=font_config),
        CSS(filename=str(PRINT_STYLESHEET), font_config=font_config),
        CSS(string=_page_number_css(thai_digits), font_config=font_config),
    ]
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=stylesheets, font_config=font_config, **ARCHIVE_OPTIONS
    )
    # The record of who issued it and when, as an archive reads it (Info and XMP).
    document.metadata.authors = [settings.MUNICIPALITY_NAME]
    document.metadata.created = timezone.localtime().isoformat(timespec="seconds")
    document.metadata.lang = document.metadata.lang or settings.LANGUAGE_CODE
    if subject:
        document.metadata.description = subject
    return document.write_pdf(**ARCHIVE_OPTIONS)
