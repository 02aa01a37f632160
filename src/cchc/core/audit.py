"""The one path to register a model with django-auditlog: `audit.register(Model, **options)` (auditlog's options).

django-auditlog diffs every field `_meta` lists, reverse relations included, so creating a report logged
"figures: None → reports.ReportFigure.None". Those are other objects' foreign keys, logged on their own rows. The
reverse relations are known only once every model is loaded: `register` records the options and registers at once;
`exclude_reverse_relations()` (run by CoreConfig.ready) registers each model again, through auditlog's public API,
with its reverse relations excluded.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog

_options: dict[type, dict[str, Any]] = {}


def register(model: type, **options: Any) -> type:
    """`auditlog.register(model, **options)`, remembered for `exclude_reverse_relations`."""
    _options[model] = options
    auditlog.register(model, **_copy(options))
    return model


def exclude_reverse_relations() -> None:
    for model, options in _options.items():
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        excluded = list(dict.fromkeys([*options.get("exclude_fields", []), *reverse]))
        auditlog.unregister(model)
        auditlog.register(model, **_copy({**options, "exclude_fields": excluded}))


def _copy(options: dict[str, Any]) -> dict[str, Any]:
    # auditlog appends its settings' fields to the lists it is given: give it copies.
    return {key: list(value) if isinstance(value, list) else value for key, value in options.items()}
