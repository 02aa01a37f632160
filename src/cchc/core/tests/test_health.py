"""`/healthz` reports the counters the apps register (core.hooks.health_counts), e.g. indicator refreshes pending."""

import pytest

from cchc.core import hooks
from cchc.dossiers.models import mark_for_refresh

pytestmark = pytest.mark.django_db


def test_healthz_counts_the_indicator_refreshes_an_import_left(client):
    assert "indicator_refreshes_pending" in hooks.health_counts.names()
    assert client.get("/healthz").json()["indicator_refreshes_pending"] == 0
    mark_for_refresh([(1, 2023), (2, 2023)])
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["indicator_refreshes_pending"] == 2
