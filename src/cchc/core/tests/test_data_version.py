"""The data version the page cache is keyed on (cchc.core.dataversion): what moves it and what does not."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from cchc.core import dataversion
from cchc.core.models import Job
from cchc.plans.models import Target
from cchc.settings import cache_from_url


@pytest.mark.parametrize(
    ("sql", "moves"),
    [
        ('INSERT INTO "indicators_indicatorvalue" ("unit_id") VALUES (%s)', True),
        ("INSERT INTO indicators_indicatorvalue (unit_id, period) VALUES (?, ?)", True),  # raw, unquoted
        ('UPDATE "plans_target" SET "name" = %s WHERE "plans_target"."id" = %s', True),
        ('DELETE FROM "reports_report" WHERE "reports_report"."id" IN (%s)', True),
        ("WITH s AS (SELECT 1) INSERT INTO indicators_leafvalue SELECT * FROM s", True),
        ("INSERT OR REPLACE INTO scoring_score (id) VALUES (1)", True),
        ('UPDATE "indicators_indicatorvalue" SET "numerator" = 1 FROM cchc_delta_stage s WHERE 1 = 1', True),
        ('SELECT "plans_target"."id" FROM "plans_target" FOR UPDATE', False),
        ('SELECT "updated_at" FROM "plans_plan"', False),
        ('INSERT INTO "core_job" ("status") VALUES (%s)', False),  # a model that opts out: jobs' progress
        ('UPDATE "dossiers_dossier" SET "status" = 9', False),  # dossiers reach pages through the stored figures
        ("INSERT INTO cchc_import_stage VALUES (?, ?)", False),  # a staging table of no model
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),  # not the project's data
        ("CREATE TEMPORARY TABLE cchc_stage (k text)", False),
    ],
)
def test_which_statements_move_the_version(sql, moves):
    assert dataversion.writes_watched(sql) is moves


def test_a_change_of_the_plan_moves_the_version_and_a_job_does_not(plan_2023, django_user_model):
    before = dataversion.current()
    Job.objects.create(kind="export", created_by=django_user_model.objects.create_user("someone"))
    assert dataversion.current() == before
    target = Target.objects.get(plan__year=2023, code="2.1")
    target.name = "Hồ sơ luân chuyển điện tử"
    target.save()
    moved = dataversion.current()
    assert moved > before
    Target.objects.filter(pk=target.pk).update(name="Hồ sơ luân chuyển")  # a bulk update says nothing to signals
    assert dataversion.current() > moved


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_moves_the_version_once_it_is_committed(plan_2023):
    before = dataversion.current()
    with transaction.atomic():
        Target.objects.filter(plan__year=2023, code="2.1").update(name="A")
        Target.objects.filter(plan__year=2023, code="2.2").update(name="B")
    after = dataversion.current()
    assert after > before
    assert not connection.run_on_commit  # nothing left to do after the commit


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("file:///var/tmp/cchc-cache", "django.core.cache.backends.filebased.FileBasedCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_the_cache_comes_from_cache_url(url, backend):
    found = cache_from_url(url)
    assert found["BACKEND"] == backend
    if url.startswith(("redis", "file")):
        assert found["LOCATION"] == (url if url.startswith("redis") else "/var/tmp/cchc-cache")


def test_an_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1:11211")
