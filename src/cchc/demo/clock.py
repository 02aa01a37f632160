"""The simulated clock of the demo: a year played step by step, each step at its own moment.

No patch of the real clock: the moment is passed in. A step runs inside `clock.at(moment, actor)`; the seeder hands
`clock.now` to the services (their `at` argument: the moment a submission, a review, an appraisal … is recorded),
and when the step is over the audit entries it wrote are dated at its moment (written as data: auditlog stamps its
entries with the real time). Columns the models stamp themselves (created/updated) are written as data afterwards
with `date_from_log`, from the first and last audit entries of each row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from zoneinfo import ZoneInfo

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Min

TZ = ZoneInfo(settings.TIME_ZONE)


class Clock:
    """Runs a step at a moment of the simulated year, with its actor recorded in the audit log."""

    def __init__(self):
        self.now: dt.datetime | None = None

    @contextlib.contextmanager
    def at(self, moment: dt.datetime, actor=None):
        previous, self.now = self.now, moment
        mark = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        actor_context = set_actor(actor) if actor is not None else contextlib.nullcontext()
        try:
            with actor_context:
                yield moment
            LogEntry.objects.filter(pk__gt=mark).update(timestamp=moment)
        finally:
            self.now = previous


def date_from_log(model, created: str | None = "created_at", updated: str | None = "updated_at", rows=None) -> int:
    """Write each row's creation and last-change moments (`created`, `updated` columns) as its audit entries date
    them, i.e. at the moments of the steps that made and changed it; returns how many rows were dated."""
    content_type = ContentType.objects.get_for_model(model)
    spans = {
        str(span["object_pk"]): (span["first"], span["last"])
        for span in LogEntry.objects.filter(content_type=content_type)
        .values("object_pk")
        .annotate(first=Min("timestamp"), last=Max("timestamp"))
    }
    rows = list(rows if rows is not None else model._default_manager.filter(pk__in=[int(pk) for pk in spans]))
    fields = [name for name in (created, updated) if name]
    dated = []
    for row in rows:
        span = spans.get(str(row.pk))
        if span is None:
            continue
        if created:
            setattr(row, created, span[0])
        if updated:
            setattr(row, updated, span[1])
        dated.append(row)
    model._default_manager.bulk_update(dated, fields, batch_size=500)  # an UPDATE: auto_now does not apply
    return len(dated)


def workday_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def workday_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def moment(rng: random.Random, day: dt.date, first_hour: int = 8, last_hour: int = 16) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(first_hour, last_hour), rng.randrange(0, 60, 5), tzinfo=TZ
    )


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
