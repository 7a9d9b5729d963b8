from django.conf import settings
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
