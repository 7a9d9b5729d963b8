from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware:
    """Activate Thai unless the user chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show English to every official whose phone or PC is set up in English; the
    system is Thai first, so only the language cookie set by the switch counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# What is worth compressing: text. JPEG photos and PDFs (whose streams are compressed
# already) would cost the server time for nothing.
_COMPRESSIBLE_TYPES = {"application/json", "application/javascript", "image/svg+xml"}


class TextGZipMiddleware(GZipMiddleware):
    """Compress text responses (pages, CSV, JSON) for browsers that accept gzip.

    Django's GZipMiddleware, which pads each response with random bytes against
    BREACH (a secret on a compressed page guessed from its length), kept to text.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if not (content_type.startswith("text/") or content_type in _COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
