"""What a phone downloads: pages compressed, static files compressed ahead of time and
cached for good once their name carries a hash, the web font fetched once, early."""

import gzip
import re

import brotli
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

EVERY_ENCODING = "gzip, deflate, br"
YEAR = 365 * 24 * 3600


def _max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_pages_and_exports_are_gzipped_photos_pdfs_and_tiny_answers_are_not(client, staff_user):
    client.force_login(staff_user)

    page = client.get(reverse("issues:list"), HTTP_ACCEPT_ENCODING=EVERY_ENCODING)
    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    html = gzip.decompress(page.content).decode()
    assert "</html>" in html
    assert len(page.content) < len(html.encode()) / 3
    # Random bytes in the gzip header (a file name) change each answer's length, so a
    # secret on the page cannot be guessed from it (BREACH).
    assert page.content[3] & 0x08

    # A browser that does not accept gzip gets the page as it is.
    plain = client.get(reverse("issues:list"))
    assert not plain.has_header("Content-Encoding")
    assert b"</html>" in plain.content

    export = client.get(reverse("issues:export"), HTTP_ACCEPT_ENCODING=EVERY_ENCODING)
    assert export.streaming
    assert export["Content-Encoding"] == "gzip"
    assert gzip.decompress(_body(export)) == _body(client.get(reverse("issues:export")))

    pdf = client.get(
        reverse("reports:community_pdf", args=[1]), HTTP_ACCEPT_ENCODING=EVERY_ENCODING
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert not pdf.has_header("Content-Encoding")
    assert _body(pdf).startswith(b"%PDF")

    health = client.get(reverse("healthz"), HTTP_ACCEPT_ENCODING=EVERY_ENCODING)
    assert not health.has_header("Content-Encoding")


@pytest.fixture
def collected_static(settings, tmp_path):
    """The static files as production serves them: collected with hashed names and
    compressed copies (.br, .gz) by WhiteNoise's storage, served by WhiteNoise."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The admin's and the map's files add time, not cases.
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "vendor"]
    )
    return settings.STATIC_ROOT


def test_the_font_and_stylesheets_are_cached_for_a_year_and_fetched_once(collected_static):
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    fonts = re.findall(r'<link rel="preload" href="(/static/[^"]+)" as="font"', page)
    assert len(fonts) == 3
    for url in fonts:
        assert re.search(r"/Sarabun-\w+\.[0-9a-f]{12}\.woff2$", url), url
        response = client.get(url, HTTP_ACCEPT_ENCODING=EVERY_ENCODING)
        assert response.status_code == 200
        assert response["Content-Type"] == "font/woff2"
        assert "immutable" in response["Cache-Control"]
        assert _max_age(response) >= YEAR
        # WOFF2 is compressed already: it travels as it is.
        assert not response.has_header("Content-Encoding")
        assert _body(response)[:4] == b"wOF2"

    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/css/fonts\.[^"]+)"', page)
    response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING=EVERY_ENCODING)
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert _max_age(response) >= YEAR
    css = brotli.decompress(_body(response)).decode()
    # The stylesheet asks for the very files the page preloaded, by the same URL.
    asked = {"/static/fonts/" + name for name in re.findall(r'url\("\.\./fonts/([^"]+)"\)', css)}
    assert asked == set(fonts)

    app_css = re.search(r'<link rel="stylesheet" href="(/static/css/app\.[^"]+)"', page)
    response = client.get(app_css.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert _max_age(response) >= YEAR

    # A name without its hash may change tomorrow: cached briefly.
    response = client.get("/static/css/fonts.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert _max_age(response) <= 3600
