from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class VietnameseFirstLocaleMiddleware:
    """Activate the language the user chose (cookie set by Django's set_language view), else Vietnamese.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and officials' browsers are
    often set to English; the province wants Vietnamese unless a user switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # A page whose language is in its address (the public page) stays cacheable by shared caches.
        if getattr(response, "vary_on_cookie", True):
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
