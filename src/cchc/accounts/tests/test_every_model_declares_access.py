"""Every model of the project says how its rows relate to units (an access_rule), so restrict() and may() can answer
for it; a new app's model without one fails here (and its rows could not be fetched through the one path)."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.query import QuerySet

from cchc.accounts import access
from cchc.restriction import RestrictedQuerySet


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("cchc.")]


def test_every_project_model_declares_an_access_rule_and_a_restricted_manager():
    undeclared = [m._meta.label for m in project_models() if getattr(m, "access_rule", None) is None]
    assert not undeclared, f"declare access_rule on: {undeclared}"
    unrestricted = [
        m._meta.label for m in project_models() if not isinstance(m._default_manager.all(), RestrictedQuerySet)
    ]
    assert not unrestricted, f"use RestrictedManager (or a RestrictedQuerySet) on: {unrestricted}"


def test_the_user_model_and_every_rule_are_interpreted(db):
    user = get_user_model().objects.create_user(username="x")
    for model in [*project_models(), get_user_model()]:
        assert isinstance(access.restrict(model._default_manager.all(), user), QuerySet)


def test_the_api_applies_the_restriction_by_default(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"][0] == "cchc.accounts.drf.RestrictFilterBackend"
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == ["cchc.accounts.drf.May"]
