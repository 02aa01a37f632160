"""The province's clock: Vietnam time (UTC+7 all year, no daylight saving) and today's local date.

One definition for every app: the pure modules use the offset (dates of import files, indicator SQL and engine),
the pages use `today()`. A test fixes the date for every page at once with
`monkeypatch.setattr("cchc.core.clock.today", lambda: date)`; code therefore calls `clock.today()` (not a copy
imported under its own name).
"""

from __future__ import annotations

import datetime as dt

LOCAL_OFFSET = dt.timedelta(hours=7)
LOCAL_OFFSET_MINUTES = 7 * 60
LOCAL_OFFSET_SECONDS = 7 * 3600
LOCAL_TIMEZONE = dt.timezone(LOCAL_OFFSET)


def today() -> dt.date:
    """The local date now (settings.TIME_ZONE is Asia/Ho_Chi_Minh)."""
    from django.utils import timezone

    return timezone.localdate()
