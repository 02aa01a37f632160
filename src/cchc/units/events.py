"""Write reorganisation events to the database: open the successors, close the predecessors, record the event.

Idempotent (events are keyed; units by code and start date) and all or nothing. Used by `cchc load_units`
(the packages and the shipped file), by `cchc import_unit_events` and by the administrator's form.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import yaml
from django.db import transaction

from cchc.units.divisions import COMMUNE, UnitRecord
from cchc.units.loading import sync_units
from cchc.units.models import Unit, UnitEvent, UnitEventLink
from cchc.units.reorganisation import KINDS, SPLIT, EventRecord, Link, Reorganisation, reorganisation

ONE_DAY = dt.timedelta(days=1)


def unit_before(code: str, date: dt.date) -> Unit | None:
    """The unit with this code valid the day before `date` (the predecessor an event closes)."""
    return Unit.objects.valid_on(date - ONE_DAY).filter(code=code).order_by("-valid_from").first()


def unit_on(code: str, date: dt.date) -> Unit | None:
    return Unit.objects.valid_on(date).filter(code=code).order_by("-valid_from").first()


@transaction.atomic
def load_reorganisation(as_of: dt.date, reorg: Reorganisation | None = None) -> Counter:
    """Every event (and the units it opens) dated on or before `as_of`, oldest first."""
    reorg = reorg or reorganisation()
    stats: Counter = Counter()
    for date in reorg.dates():
        if date > as_of:
            break
        stats += apply_events(
            date, [u for u in reorg.units if u.valid_from == date], [e for e in reorg.events if e.date == date]
        )
    return stats


def apply_events(
    date: dt.date, units: Iterable[UnitRecord], events: Iterable[EventRecord], user=None, strict: bool = False
) -> Counter:
    """Open `units` on `date`, close every predecessor the day before, write the events and their links.

    strict (an administrator's event): every predecessor must be a unit valid the day before, every successor a
    unit valid on the date.
    """
    stats: Counter = Counter()
    created, kept = sync_units(units, update_existing=False)
    stats.update(units_opened=created, units_present=kept)
    for event in events:
        for link in event.predecessors:
            unit = unit_before(link.code, date)
            if unit is None:
                if strict:
                    raise ValueError(
                        f"event {event.key}: predecessor {link.code} is not a unit valid on {date - ONE_DAY}"
                    )
                continue
            if unit.valid_to is None or unit.valid_to >= date:
                unit.valid_to = date - ONE_DAY
                unit.save(update_fields=["valid_to"])
                stats["units_closed"] += 1
        if strict:
            for link in event.successors:
                if unit_on(link.code, date) is None:
                    raise ValueError(f"event {event.key}: successor {link.code} is not a unit valid on {date}")
        stats["events_created" if _write_event(event, date, user) else "events_present"] += 1
    return stats


def _write_event(record: EventRecord, date: dt.date, user) -> bool:
    fields = {
        "date": record.date,
        "kind": record.kind,
        "basis": record.basis,
        "note": record.note,
        "source": record.source,
    }
    event, created = UnitEvent.objects.get_or_create(key=record.key, defaults={**fields, "created_by": user})
    if not created and any(getattr(event, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(event, k, v)
        event.save()
    wanted = [
        (side, position, link.code, link.name, unit.pk if unit else None, link.share, link.is_default)
        for side, links, find in (
            (UnitEventLink.FROM, record.predecessors, unit_before),
            (UnitEventLink.TO, record.successors, unit_on),
        )
        for position, link in enumerate(links)
        for unit in [find(link.code, date)]
    ]
    present = list(
        event.links.order_by("side", "position").values_list(
            "side", "position", "code", "name", "unit_id", "share", "is_default"
        )
    )
    if sorted(present) != sorted(wanted):
        event.links.all().delete()
        for side, position, code, name, unit_id, share, is_default in wanted:
            UnitEventLink.objects.create(
                event=event,
                side=side,
                position=position,
                code=code,
                name=name,
                unit_id=unit_id,
                share=share,
                is_default=is_default,
            )
    return created


# ---------------------------------------------------------------------------------------------------------------
# An administrator's events (file or form): format cchc-unit-events 1
#
# events:
#   - date: 2026-03-01
#     kind: merge            # merge, split, rename, transfer, new, dissolved
#     basis: "Nghị quyết …"  # required
#     from: ["26734", "26737"]
#     to:
#       - {code: "26734", name: "Phường …", type: "phường", parent: "68"}   # a new unit (version) from the date
#       - {code: "26740"}                                                    # or a unit already valid on the date
#     # on a split, each successor carries share: 0.4 (shares add up to 1) or one carries default: true
# ---------------------------------------------------------------------------------------------------------------


class EventFileError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_events(document: dict | list) -> list[tuple[EventRecord, list[UnitRecord]]]:
    """Check an administrator's events against the database; every problem names the event and the field."""
    entries = document.get("events") if isinstance(document, dict) else document
    if not isinstance(entries, list) or not entries:
        raise EventFileError(["events: a non-empty list of events is required"])
    problems: list[str] = []
    parsed = []
    for index, entry in enumerate(entries):
        where = f"events[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: an event is a mapping with date, kind, basis, from and to")
            continue
        before = len(problems)
        date = entry.get("date")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                date = None
        if not isinstance(date, dt.date):
            problems.append(f"{where}.date: {entry.get('date')!r} is not a date YYYY-MM-DD")
        kind = entry.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}.kind: {kind!r} is not one of {', '.join(KINDS)}")
        basis = str(entry.get("basis") or "").strip()
        if not basis:
            problems.append(f"{where}.basis: the legal basis is required")
        codes_from = [str(c) for c in entry.get("from") or []]
        targets = entry.get("to") or []
        if not isinstance(targets, list):
            problems.append(f"{where}.to: a list of successors is required")
            targets = []
        if kind != "new" and not codes_from:
            problems.append(f"{where}.from: a {kind} needs at least one predecessor")
        if kind != "dissolved" and not targets:
            problems.append(f"{where}.to: a {kind} needs at least one successor")
        if len(problems) > before or date is None:
            continue
        predecessors = []
        for i, code in enumerate(codes_from):
            unit = unit_before(code, date)
            if unit is None:
                problems.append(f"{where}.from[{i}]: no unit {code} is valid on {date - ONE_DAY:%d/%m/%Y}")
            else:
                predecessors.append((Link(code, unit.name), unit))
        successors, opened = [], []
        for i, target in enumerate(targets):
            target = target if isinstance(target, dict) else {"code": target}
            code = str(target.get("code") or "").strip()
            if not code:
                problems.append(f"{where}.to[{i}].code: required")
                continue
            share = None
            if target.get("share") not in (None, ""):
                try:
                    share = Decimal(str(target["share"]))
                except InvalidOperation:
                    share = Decimal(-1)
                if not Decimal(0) <= share <= Decimal(1):
                    problems.append(f"{where}.to[{i}].share: {target['share']!r} is not a number between 0 and 1")
                    continue
            name = str(target.get("name") or "").strip()
            if name:
                model = predecessors[0][1] if predecessors else None
                parent_code = str(target.get("parent") or (model.parent.code if model and model.parent_id else ""))
                if parent_code and unit_on(parent_code, date) is None and parent_code not in {u.code for u in opened}:
                    problems.append(f"{where}.to[{i}].parent: no unit {parent_code} is valid on {date:%d/%m/%Y}")
                    continue
                if (
                    Unit.objects.filter(code=code, valid_from=date).exists()
                    and not UnitEvent.objects.filter(key=_key(date, kind, code)).exists()
                ):
                    problems.append(f"{where}.to[{i}].code: a unit {code} already starts on {date:%d/%m/%Y}")
                    continue
                opened.append(
                    UnitRecord(
                        code=code,
                        name=name,
                        kind=str(target.get("kind") or (model.kind if model else COMMUNE)),
                        division_type=str(target.get("type") or (model.division_type if model else "")),
                        parent_code=parent_code or None,
                        valid_from=date,
                        is_scored=bool(target.get("scored", model.is_scored if model else True)),
                        source=str(entry.get("source") or "administrator"),
                        sort_order=model.sort_order if model else 0,
                    )
                )
            elif unit_on(code, date) is None:
                problems.append(
                    f"{where}.to[{i}]: no unit {code} is valid on {date:%d/%m/%Y}; give its name to open it"
                )
                continue
            successors.append(Link(code, name or unit_on(code, date).name, share, bool(target.get("default"))))
        if len(successors) > 1:
            shares = [s.share for s in successors]
            defaults = sum(s.is_default for s in successors)
            if any(s is not None for s in shares):
                if any(s is None for s in shares) or sum(shares) != 1:
                    problems.append(f"{where}.to: the successors' shares must all be given and add up to 1")
            elif defaults != 1 and kind == SPLIT:
                problems.append(f"{where}.to: a split without shares needs exactly one default successor")
        if len(problems) > before:
            continue
        first = successors[0].code if successors else codes_from[0]
        parsed.append(
            (
                EventRecord(
                    key=_key(date, kind, first),
                    date=date,
                    kind=kind,
                    predecessors=tuple(link for link, _unit in predecessors),
                    successors=tuple(successors),
                    basis=basis,
                    note=str(entry.get("note") or ""),
                    source=str(entry.get("source") or "administrator"),
                ),
                opened,
            )
        )
    if problems:
        raise EventFileError(problems)
    return parsed


def _key(date: dt.date, kind: str, code: str) -> str:
    return f"{date}:{kind}:{code}:admin"


@transaction.atomic
def add_events(document: dict | list, user=None) -> Counter:
    """Check every event, then apply them in date order; nothing is written if one is wrong."""
    stats: Counter = Counter()
    for record, opened in sorted(parse_events(document), key=lambda pair: pair[0].date):
        stats += apply_events(record.date, opened, [record], user=user, strict=True)
    return stats


def read_event_file(text: str) -> dict | list:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise EventFileError([f"file: not YAML ({error})"]) from None
