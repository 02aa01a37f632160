import datetime as dt

import pytest
from django.core.cache import cache

ON = dt.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with nothing cached (the page's figures live in Django's cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("cchc.core.clock.today", lambda: ON)
