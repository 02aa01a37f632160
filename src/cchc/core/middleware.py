import logging
import re
import time
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from cchc.core import logs


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


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_log = logging.getLogger("cchc.request")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it sends a sane one), puts it on every log line of the
    request and on the response, and logs one line per request: method, path, status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        token = logs.request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(1000 * (time.perf_counter() - started), 1),
                    "user": user.get_username() if user is not None and user.is_authenticated else "",
                },
            )
            response.headers["X-Request-ID"] = rid
            return response
        finally:
            logs.request_id.reset(token)


class BusyOrConflictMiddleware:
    """Answers what a concurrent write causes plainly instead of with a server error.

    - a conflict (`cchc.review.concurrency.ConcurrentChange`, status_code 409: someone saved the same report, plan,
      progress or scoring sheet since the page was loaded):
      409, nothing saved, "reload the page".
    - The database still busy after the busy timeout (SQLite, a very long import): 503 with Retry-After, nothing saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError

        if getattr(exception, "status_code", None) == 409:  # cchc.review.concurrency.ConcurrentChange
            message = _(
                "Someone else changed this item while you were working on it: nothing of yours was saved. Reload the "
                "page to see the current version, then make your change again."
            )
            return self.answer(request, 409, message)
        if isinstance(exception, OperationalError) and "locked" in str(exception).lower():
            logging.getLogger(__name__).warning("database busy: %s", exception)
            message = _("The system is busy with another change. Nothing was saved: try again in a minute.")
            response = self.answer(request, 503, message)
            response["Retry-After"] = "30"
            return response
        return None

    @staticmethod
    def answer(request, status: int, message: str):
        from django.http import JsonResponse
        from django.shortcuts import render

        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": str(message)}, status=status)
        return render(request, "core/busy.html", {"message": message, "status": status}, status=status)
