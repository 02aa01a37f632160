"""Who sees and does what: the one module that pages, the API and the workflow all ask."""

import pytest

from cchc.accounts import scope
from cchc.accounts.models import Role
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def unit(code):
    return Unit.objects.get(code=code)


def test_an_editor_sees_and_edits_only_its_own_unit(plan_2023, make_account):
    editor = make_account("593", Role.EDITOR)
    assert scope.visible_unit_ids(editor) == {unit("593").pk}
    assert scope.can_edit(editor, unit("593"))
    assert not scope.can_edit(editor, unit("594"))
    assert not scope.can_submit(editor, unit("593")), "only the head submits"
    assert not scope.can_review(editor, unit("22915"))


def test_the_head_submits_for_its_unit_only(plan_2023, make_account):
    head = make_account("593", Role.HEAD)
    assert scope.can_submit(head, unit("593"))
    assert not scope.can_submit(head, unit("594"))


def test_a_district_officer_sees_and_reviews_its_communes_not_another_districts(plan_2023, make_account):
    officer = make_account("593", Role.DISTRICT_OFFICER)
    communes_593 = set(Unit.objects.filter(parent__code="593", kind="commune").values_list("pk", flat=True))
    assert unit("22915").pk in communes_593
    assert scope.visible_unit_ids(officer) == {unit("593").pk} | communes_593
    assert scope.can_review(officer, unit("22915"))
    other_commune = Unit.objects.filter(parent__code="595", kind="commune").first()
    assert not scope.can_review(officer, other_commune)
    assert not scope.can_review(officer, unit("593")), "a district does not accept its own report"


def test_departments_and_districts_are_reviewed_by_the_province_administrator(plan_2023, make_account):
    administrator = make_account("SNV", Role.ADMINISTRATOR)
    assert scope.visible_unit_ids(administrator) is None
    assert scope.can_review(administrator, unit("593")) and scope.can_review(administrator, unit("STP"))
    assert not scope.can_submit(administrator, unit("593"))


def test_a_leader_reads_the_whole_province_and_changes_nothing(plan_2023, make_account):
    leader = make_account("VPUBND", Role.LEADER)
    assert scope.sees_whole_province(leader)
    assert not scope.can_edit(leader, unit("VPUBND"))
    assert not scope.can_review(leader, unit("593"))
    assert scope.editable(Unit.objects.all(), leader, unit_field="pk").count() == 0


def test_an_account_without_a_unit_sees_nothing_and_anonymous_neither(plan_2023, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    stranger = django_user_model.objects.create_user(username="stranger", password="x-2023-stranger")
    assert scope.visible_unit_ids(stranger) == set()
    assert scope.visible(Unit.objects.all(), AnonymousUser(), unit_field="pk", state_field=None).count() == 0
    assert not scope.can_edit(stranger, unit("593"))


def test_a_superuser_is_a_province_administrator(plan_2023, admin_user):
    assert scope.is_administrator(admin_user) and scope.sees_whole_province(admin_user)
    assert scope.can_review(admin_user, unit("593"))


def test_province_wide_accounts_see_every_units_rows_when_nothing_is_private(plan_2023, make_account):
    """Regression: Q(own unit) | Q() shrank to the own unit, hiding the province from administrators and leaders."""
    leader = make_account("VPUBND", Role.LEADER)
    editor = make_account("593", Role.EDITOR)
    everyone = Unit.objects.count()
    assert scope.visible(Unit.objects.all(), leader, unit_field="pk", state_field=None).count() == everyone
    assert scope.visible(Unit.objects.all(), editor, unit_field="pk", state_field=None).count() == 1
