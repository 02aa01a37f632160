"""Who is reminded for a unit: its active editors and heads; if it has none, its other accounts."""

from cchc.reminders.services import recipients_by_unit
from cchc.units.models import Unit


def test_editors_and_heads_of_the_unit(plan_2023, make_account):
    editor, head = make_account("593", "editor"), make_account("593", "head")
    make_account("593", "district_officer")
    make_account("22915", "editor")
    inactive = make_account("593", "editor", username="left-the-job")
    inactive.is_active = False
    inactive.save()
    unit = Unit.objects.get(code="593")
    assert recipients_by_unit([unit.pk]) == {unit.pk: [editor, head]}


def test_a_unit_without_editor_or_head_falls_back_to_its_other_accounts(plan_2023, make_account):
    officer = make_account("594", "district_officer")
    unit = Unit.objects.get(code="594")
    assert recipients_by_unit([unit.pk]) == {unit.pk: [officer]}
    assert recipients_by_unit([Unit.objects.get(code="STP").pk]) == {}  # no account: nobody
