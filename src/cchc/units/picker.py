"""Unit pickers grouped by parent and dated: the units valid on a day, each under its parent (the province's
departments under the province, communes under their district, or under the province when there are no districts).

`grouped(units)` gives the choices as <optgroup>s; `UnitChoiceField` is a ModelChoiceField that renders them; the
widget carries `data-unit-picker`, which static/cchc/unit-picker.js turns into a searchable list (no CDN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.units.models import Unit, UnitKind

KIND_ORDER = {UnitKind.PROVINCE: 0, UnitKind.DEPARTMENT: 1, UnitKind.DISTRICT: 2, UnitKind.COMMUNE: 3}
PICKER_ATTRS = {"data-unit-picker": "", "data-search-label": _("Search units")}


def _key(unit: Unit):
    return (KIND_ORDER.get(unit.kind, 9), unit.sort_order, unit.name)


def group_label(unit: Unit, parent_names: dict[int, str]) -> str:
    """The group a unit is listed under: its parent's name ("Tỉnh Bình Thuận — sở, ban, ngành" for departments)."""
    if unit.parent_id is None:
        return str(_("Province"))
    parent = parent_names.get(unit.parent_id, "")
    if unit.kind == UnitKind.DEPARTMENT:
        return f"{parent} — {_('departments')}"
    return parent


def grouped(units: Iterable[Unit], value=lambda unit: unit.pk) -> list[tuple[str, list[tuple[object, str]]]]:
    """[(group label, [(value, unit name)])], groups in the order province, departments, districts' communes…"""
    units = sorted(units, key=_key)
    listed = {u.pk: u for u in units}
    parent_ids = {u.parent_id for u in units if u.parent_id and u.parent_id not in listed}
    parents = {pk: listed[pk] for pk in {u.parent_id for u in units} if pk in listed}
    if parent_ids:  # one query, only for parents not in the list itself
        parents |= {p.pk: p for p in Unit.objects.filter(pk__in=parent_ids).only("pk", "name", "kind", "sort_order")}
    names = {pk: p.name for pk, p in parents.items()}
    groups: dict[str, list] = {}
    order: dict[str, tuple] = {}
    for unit in units:
        label = group_label(unit, names)
        groups.setdefault(label, []).append((value(unit), unit.name))
        parent = parents.get(unit.parent_id)
        order.setdefault(label, (KIND_ORDER.get(unit.kind, 9) if unit.kind != UnitKind.COMMUNE else 3,
                                 _key(parent) if parent else (0,), label))  # fmt: skip
    return [(label, groups[label]) for label in sorted(groups, key=lambda label: order[label])]


def valid_units(on: dt.date, kinds: Iterable[str] | None = None):
    units = Unit.objects.valid_on(on)
    if kinds is not None:
        units = units.filter(kind__in=list(kinds))
    return units.order_by("kind", "sort_order", "code")


class GroupedIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = list(self.queryset)
        by_pk = {u.pk: u for u in units}
        for label, choices in grouped(units):
            yield (label, [self.choice(by_pk[pk]) for pk, _name in choices])


class UnitChoiceField(forms.ModelChoiceField):
    """A unit among those valid on a day, grouped by parent, with search."""

    iterator = GroupedIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs=dict(PICKER_ATTRS)))
        super().__init__(*args, **kwargs)
