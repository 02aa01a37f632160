from io import StringIO

from django.core.management import call_command

from cchc.plans.models import Plan, Target, Task
from cchc.units.models import Unit


def test_load_defaults_is_idempotent(plan_2023):
    counts = (Unit.objects.count(), Plan.objects.count(), Target.objects.count(), Task.objects.count())
    out = StringIO()
    call_command("load_defaults", stdout=out)
    assert (Unit.objects.count(), Plan.objects.count(), Target.objects.count(), Task.objects.count()) == counts
    assert "155 already present" in out.getvalue()


def test_load_defaults_keeps_what_an_administrator_edited(plan_2023):
    Unit.objects.filter(code="SNV").update(name="Sở Nội vụ (sửa)")
    area = plan_2023.areas.get(number=2)
    area.monitor = Unit.objects.get(code="SNV")
    area.save()
    call_command("load_defaults", stdout=StringIO())
    assert Unit.objects.get(code="SNV").name == "Sở Nội vụ (sửa)"
    assert plan_2023.areas.get(number=2).monitor.code == "SNV"
