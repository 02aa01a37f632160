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


class UploadSizeLimitMiddleware:
    """Refuse a request body larger than its limit from its Content-Length, before anything reads it (413); refuse a
    query parameter holding a NUL byte (400), which PostgreSQL cannot even compare.

    Import endpoints (CCHC_IMPORT_UPLOAD_PATHS) take up to CCHC_MAX_UPLOAD_BYTES; every other request up to
    CCHC_MAX_EVIDENCE_BYTES plus 1 MB of form fields. Without a Content-Length Django reads no body at all.
    """

    MARGIN = 2**20

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def limit_for(path: str) -> int:
        if any(path.startswith(prefix) for prefix in settings.CCHC_IMPORT_UPLOAD_PATHS):
            return settings.CCHC_MAX_UPLOAD_BYTES + UploadSizeLimitMiddleware.MARGIN
        return settings.CCHC_MAX_EVIDENCE_BYTES + UploadSizeLimitMiddleware.MARGIN

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest("NUL byte in a parameter")  # no database stores it; never a 500
        limit = self.limit_for(request.path_info)
        if length > limit:
            from django.http import HttpResponse, JsonResponse
            from django.utils.translation import gettext as _

            message = _("The upload is %(size)s MB; files up to %(limit)s MB are accepted here.") % {
                "size": f"{length / 2**20:.1f}".replace(".", ","),
                "limit": (limit - self.MARGIN) // 2**20,
            }
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class IdleSessionMiddleware:
    """Idle timeout: a logged-in session lives SESSION_COOKIE_AGE seconds after its last request. Its expiry is pushed
    on at most once a minute (not a write per request), and the public page never touches the session (it stays
    cacheable: no cookie, no Vary: Cookie)."""

    REFRESH_SECONDS = 60
    KEY = "cchc_refreshed"
    SKIP = ("/public/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.SKIP) and settings.SESSION_COOKIE_NAME in request.COOKIES:
            import time

            session = request.session
            now = int(time.time())
            if session.get("_auth_user_id") and now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now  # modified: saved with a new expiry at the end of the request
        return self.get_response(request)


def mark_login(sender, request, user, **kwargs):
    """A fresh login counts as activity (no extra write on the next request)."""
    import time

    if request is not None and hasattr(request, "session"):
        request.session[IdleSessionMiddleware.KEY] = int(time.time())
