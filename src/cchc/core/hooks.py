"""Hooks: a lower app calls work that higher apps register, so that it never imports them (no cycle between apps).

An app registers its functions in its `AppConfig.ready()`; the lower app calls the hook and gets every result.
A hook is not a queue and not a signal: registration is explicit, by the app that owns the function, and a
function registered twice (ready() run again in a test) is kept once.

    # cchc/indicators/apps.py
    def ready(self):
        from cchc.core import hooks
        from cchc.indicators.compute import refresh_pending

        hooks.settle_pending.register("indicator refreshes", refresh_pending)

    # cchc/core/worker.py
    for name, results in hooks.settle_pending.call().items(): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """Named functions registered by apps, called in registration order."""

    def __init__(self, doc: str):
        self.__doc__ = doc
        self._functions: dict[str, Callable[..., Any]] = {}

    def register(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """Register `function` under `name` (registering the same name again replaces it)."""
        self._functions[name] = function
        return function

    def names(self) -> list[str]:
        return list(self._functions)

    def call(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """{name: result} of every registered function, each called with the same arguments."""
        return {name: function(*args, **kwargs) for name, function in self._functions.items()}


settle_pending = Hook(
    """Work left pending by an interrupted process (e.g. indicator refreshes marked by a dossier import).

    Called without arguments by the task worker at start and by the commands and jobs that leave work marked;
    each function settles what it finds and returns a list of what it did (empty when nothing was pending)."""
)

health_counts = Hook(
    """Counters shown by `/healthz` besides the jobs: {name: function() -> int}, e.g. indicator refreshes pending."""
)
