"""What pages compute from the stored figures, kept in Django's cache until the data changes.

A page keeps its expensive part — usually the HTML of its content, rendered WITHOUT the request, so it cannot hold a
CSRF token, a nonce, a name or anything else of the session — under a key made of:

- the data version (`cchc.core.dataversion`), which every write to the data moves: the next request after a commit
  (an import and its refresh, a recompute, a plan or target change, an accepted report, a publication) looks under
  a new key and computes the page again; nothing has to be deleted;
- the code and configuration (a fingerprint of the package's files and CCHC_* settings, so a deployment never serves
  what older templates rendered);
- the active language and the day (`core.clock.today()`);
- the page's name and everything its result depends on, which the view passes: the unit, the period, the filters,
  the day where deadlines or elapsed months count, and the viewer's scope (`cchc.accounts.access.scope_key`: two
  accounts with the same key see the same rows) wherever permissions change what is shown.

The cache is the `default` one of settings.CACHES (CACHE_URL: memory of each process by default, Redis in
production); entries also expire after CCHC_PAGE_CACHE_SECONDS, a bound for any change the version could not see.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cchc.core import clock, dataversion

T = TypeVar("T")
_code: str | None = None


def code_fingerprint() -> str:
    """A fingerprint of the installed code and templates (their sizes and times) and of the project's settings
    (CCHC_*: due days, the province…), computed once per process: a kept page never outlives a deployment or a
    change of configuration, even in a cache that outlives the processes (files, Redis)."""
    global _code
    if _code is None:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha1()
        for name in sorted(n for n in dir(settings) if n.startswith("CCHC_")):
            digest.update(f"{name}={getattr(settings, name)!r}\n".encode())
        for folder, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                if name.endswith((".py", ".html", ".txt", ".mo", ".json", ".yaml")):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        _code = digest.hexdigest()[:12]
    return _code


def key(name: str, parts: tuple, version: int | None = None) -> str:
    """The cache key of page part `name` for `parts` under the current data version and language."""
    version = dataversion.current() if version is None else version
    detail = hashlib.sha1(repr(parts).encode()).hexdigest()[:20]
    # The day too: deadlines, elapsed months and "late" move with it whatever the page passes.
    return f"cchc:page:{code_fingerprint()}:{version}:{clock.today()}:{translation.get_language()}:{name}:{detail}"


def cached(name: str, parts: tuple, build: Callable[[], T]) -> T:
    """`build()`'s result for `parts`, computed once per data version (and code, language)."""
    if not settings.CCHC_PAGE_CACHE_SECONDS:
        return build()
    found_key = key(name, parts)
    value = cache.get(found_key)
    if value is None:
        value = build()
        cache.set(found_key, value, settings.CCHC_PAGE_CACHE_SECONDS)
    return value


def fragment(name: str, parts: tuple, render: Callable[[], str]) -> SafeString:
    """HTML rendered by `render()` (a template rendered without the request), kept like `cached`."""
    return mark_safe(cached(name, parts, lambda: str(render())))
