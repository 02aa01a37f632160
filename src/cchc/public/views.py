"""The public page: no login, the same bytes for everyone (per year and language), cacheable by browsers and
proxies.

- The figures, and the page's bytes, are computed once per data change (`published.data_version`) and kept in
  Django's cache.
- Conditional GETs get a 304 (ETag and Last-Modified from the data version).
- The page is rendered without the request: no context processor runs, so nothing reads the account, the
  session or the CSRF token — no Set-Cookie, no per-user content.
- The language is in the URL (?lang=en, Vietnamese by default), so the response does not vary by cookie; a visitor
  who chose English elsewhere (the language cookie) is redirected once to ?lang=en.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import get_template
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import condition, require_safe

from cchc.core import clock, pagecache
from cchc.indicators.queries import latest_year
from cchc.public import published

MAX_AGE = 300
CACHE_SECONDS = 3600  # a data change makes a new key at once; this only bounds what an unseen change could keep
PAGE_VERSION = "3"  # bump when the template changes, so browsers do not keep an old page by its ETag
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def page_language(request) -> str:
    """?lang= if it names a supported language, else the default (Vietnamese)."""
    lang = request.GET.get("lang")
    return lang if lang in LANGUAGES else settings.LANGUAGE_CODE


def years_of(request) -> list[int]:
    """The published years, once per request."""
    if not hasattr(request, "_public_years"):
        request._public_years = published.published_years()
    return request._public_years


def year_of(request, kwargs) -> int:
    if "year" in kwargs:
        return kwargs["year"]
    years = years_of(request)
    this = clock.today().year
    return this if this in years else (years[0] if years else latest_year())


def _version(request, year: int):
    """The data version, once per request (the ETag and Last-Modified functions both need it)."""
    if not hasattr(request, "_public_version"):
        request._public_version = published.data_version(year)
    return request._public_version


def etag(request, **kwargs) -> str:
    year = year_of(request, kwargs)
    _last, token = _version(request, year)
    key = f"{PAGE_VERSION}|{year}|{page_language(request)}|{token}|{clock.today()}"
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def last_modified(request, **kwargs):
    return _version(request, year_of(request, kwargs))[0]


def figures(year: int, token: str) -> dict:
    key = f"cchc.public:{year}:{token}:{clock.today()}"
    data = cache.get(key)
    if data is None:
        data = published.build(year, clock.today())
        cache.set(key, data, CACHE_SECONDS)
    return data


def _cookie_language(request) -> str | None:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in LANGUAGES and chosen != settings.LANGUAGE_CODE else None


@require_safe
@condition(etag_func=etag, last_modified_func=last_modified)
def public_page(request, **kwargs):
    lang = page_language(request)
    if "lang" not in request.GET and _cookie_language(request):
        response = HttpResponseRedirect(f"{request.path}?{urlencode({'lang': _cookie_language(request)})}")
        patch_cache_control(response, private=True, no_cache=True)
        return response
    year = year_of(request, kwargs)
    if year not in years_of(request):
        raise Http404("no plan published for this year")
    token = _version(request, year)[1]
    # The bytes are the same for everyone: kept whole per data version, language and day (rendering them costs more
    # than everything else the page does).
    html_key = (
        "cchc.public.html:"
        + hashlib.sha1(
            f"{PAGE_VERSION}|{pagecache.code_fingerprint()}|{year}|{lang}|{token}|{clock.today()}|{years_of(request)}|"
            f"{request.path}".encode()
        ).hexdigest()
    )
    html = cache.get(html_key)
    if html is None:
        data = figures(year, token)
        with translation.override(lang):
            html = get_template("public/page.html").render(
                {
                    **data,
                    "LANGUAGE_CODE": lang,
                    "years": years_of(request),
                    "path": request.path,
                    "other_language": "en" if lang == "vi" else "vi",
                }
            )
        cache.set(html_key, html, CACHE_SECONDS)
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response["Content-Language"] = lang
    # The page read nothing of the session (the audit middleware looked at the account before the view ran):
    # tell the session middleware so, or it would add "Vary: Cookie" and defeat shared caches.
    session = getattr(request, "session", None)
    if session is not None and not session.modified:
        session.accessed = False
    response.vary_on_cookie = False  # for cchc.core.middleware (see the report to the lead)
    return response
