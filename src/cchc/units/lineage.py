"""Where a unit's figures and work went (successors) and came from (predecessors), through the unit events.

A link predecessor → successor carries a weight: 1 when the event has one successor; on a split, the successor's
share where one is given, else 1 for the declared default successor and 0 for the others. Chains are followed
across several events (e.g. a 2023 commune merged in 2024, whose successor was merged again in 2025).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from cchc.units.models import Unit, UnitEventLink

ONE = Decimal(1)


def _graph():
    """(forward, backward): unit id → [(other unit id, weight, event date)], from every event link with units."""
    links = UnitEventLink.objects.filter(unit__isnull=False).values_list(
        "event_id", "event__date", "side", "unit_id", "share", "is_default"
    )
    by_event: dict[int, dict] = defaultdict(lambda: {"from": [], "to": [], "date": None})
    for event_id, date, side, unit_id, share, is_default in links:
        entry = by_event[event_id]
        entry["date"] = date
        entry[side].append((unit_id, share, is_default))
    successor_count = _successor_counts()
    forward: dict[int, list] = defaultdict(list)
    backward: dict[int, list] = defaultdict(list)
    for event_id, entry in by_event.items():
        only_one = successor_count.get(event_id, 0) == 1
        for p, _s, _d in entry["from"]:
            for s, share, is_default in entry["to"]:
                if p == s:
                    continue
                weight = ONE if only_one else (share if share is not None else (ONE if is_default else Decimal(0)))
                forward[p].append((s, weight, entry["date"]))
                backward[s].append((p, weight, entry["date"]))
    return forward, backward


def _successor_counts() -> dict[int, int]:
    from django.db.models import Count

    return dict(
        UnitEventLink.objects.filter(side=UnitEventLink.TO)
        .values("event_id")
        .annotate(n=Count("id"))
        .values_list("event_id", "n")
    )


def successors(unit: Unit, on: dt.date | None = None, weighted: bool = True) -> dict[int, Decimal]:
    """Unit ids valid on `on` (default: the latest units) that `unit` leads to, with the part of its figures each
    takes. weighted=False: every successor, also those a split gives no share (weight 0 → 1), e.g. for tasks."""
    forward, _ = _graph()
    result: dict[int, Decimal] = defaultdict(Decimal)
    valid = _validity()

    def walk(uid: int, weight: Decimal):
        nexts = forward.get(uid, [])
        if not nexts or (on is not None and _valid_on(valid[uid], on)):
            if on is None or _valid_on(valid[uid], on):
                result[uid] += weight
            return
        for other, w, _date in nexts:
            if not weighted:
                w = ONE
            if w:
                walk(other, weight * w)

    walk(unit.pk, ONE)
    return dict(result)


def load_graph() -> tuple[dict, dict, dict]:
    """(forward, backward, validity) for repeated questions (one load, no query per period)."""
    forward, backward = _graph()
    return forward, backward, _validity()


def predecessors(unit: Unit, start: dt.date, end: dt.date, graph: tuple | None = None) -> dict[int, Decimal]:
    """The units whose figures of the period start..end `unit` took over, each with the part it takes: every unit
    back along the events that existed during the period (a chain is followed further back while the unit started
    after the period began). `unit` itself is left out."""
    _, backward, valid = graph or load_graph()
    result: dict[int, Decimal] = defaultdict(Decimal)

    def walk(uid: int, weight: Decimal):
        first, last = valid[uid]
        if first <= end and (last is None or last >= start):
            result[uid] += weight
        if first > start:
            for other, w, _date in backward.get(uid, []):
                if w:
                    walk(other, weight * w)

    walk(unit.pk, ONE)
    result.pop(unit.pk, None)
    return dict(result)


def _validity() -> dict[int, tuple[dt.date, dt.date | None]]:
    return {pk: (start, end) for pk, start, end in Unit.objects.values_list("pk", "valid_from", "valid_to")}


def _valid_on(span: tuple[dt.date, dt.date | None], on: dt.date) -> bool:
    start, end = span
    return start <= on and (end is None or on <= end)


class UnitMapper:
    """Maps units of an earlier structure onto the units valid on a date, through the events (one graph load).

    - a unit still valid on the date maps to itself;
    - otherwise to every unit it leads to (all successors of a split: work goes to each of them);
    - a dissolved unit without successors (a district in July 2025) to the successors of the units under it.
    `single` gives the one unit that takes a role (a monitoring agency): the unit its figures go to.
    """

    def __init__(self, on: dt.date):
        self.on = on
        self.forward, self.backward = _graph()
        self.valid = _validity()
        self._units: dict[int, Unit] = {}

    def _unit(self, pk: int) -> Unit:
        if pk not in self._units:
            self._units[pk] = Unit.objects.get(pk=pk)
        return self._units[pk]

    def _walk(self, pk: int, weighted: bool) -> dict[int, Decimal]:
        result: dict[int, Decimal] = defaultdict(Decimal)

        def walk(uid: int, weight: Decimal, depth: int = 0):
            if _valid_on(self.valid[uid], self.on):
                result[uid] += weight
                return
            for other, w, _date in self.forward.get(uid, []):
                if not weighted:
                    w = ONE
                if w and depth < 20:
                    walk(other, weight * w, depth + 1)

        walk(pk, ONE)
        return result

    def many(self, unit: Unit) -> list[Unit]:
        found = self._walk(unit.pk, weighted=False)
        if not found and not _valid_on(self.valid[unit.pk], self.on):
            for child in Unit.objects.filter(parent=unit).values_list("pk", flat=True):
                found.update(self._walk(child, weighted=False))
        return sorted((self._unit(pk) for pk in found), key=lambda u: (u.kind, u.sort_order, u.code))

    def single(self, unit: Unit) -> Unit | None:
        found = self._walk(unit.pk, weighted=True)
        if not found:
            return None
        return self._unit(max(found, key=lambda pk: (found[pk], -pk)))
