"""Every change is recorded with its author and shown on the object; administrators search the whole log."""

from auditlog.models import LogEntry
from django.urls import reverse

from cchc.plans.models import Target


def test_an_edit_in_the_admin_is_recorded_with_author_and_before_after(plan_2023, admin_client, admin_user):
    target = Target.objects.get(plan=plan_2023, code="2.1")
    url = reverse("admin:plans_target_change", args=[target.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {field.name: "" if field.value() is None else field.value() for field in form}
    data.update(name="Hồ sơ luân chuyển điện tử (sửa)", deadline="2023-12-31")
    thresholds = list(target.thresholds.all())
    data.update(
        {
            "thresholds-TOTAL_FORMS": str(len(thresholds)),
            "thresholds-INITIAL_FORMS": str(len(thresholds)),
            "thresholds-MIN_NUM_FORMS": "0",
            "thresholds-MAX_NUM_FORMS": "1000",
        }
    )
    for i, t in enumerate(thresholds):
        data.update(
            {
                f"thresholds-{i}-id": t.pk,
                f"thresholds-{i}-target": target.pk,
                f"thresholds-{i}-level": t.level,
                f"thresholds-{i}-op": t.op,
                f"thresholds-{i}-value": t.value,
                f"thresholds-{i}-unit": t.unit,
            }
        )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(target).filter(actor=admin_user).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    before, after = entry.changes_dict["name"]
    assert before == "Hồ sơ TTHC được luân chuyển giữa các cơ quan bằng phương thức điện tử"
    assert after == "Hồ sơ luân chuyển điện tử (sửa)"


def test_the_target_page_shows_its_history(plan_2023, officer_client):
    target = Target.objects.get(plan=plan_2023, code="2.1")
    target.note = "ghi chú mới"
    target.save()
    html = officer_client.get(reverse("plans:target", args=[2023, "2.1"])).content.decode()
    assert "ghi chú mới" in html and 'class="history"' in html
    assert "Search the whole log" not in html and "Tìm trong toàn bộ nhật ký" not in html  # staff only


def test_loading_the_defaults_is_recorded_as_the_system(plan_2023_audited):
    entry = LogEntry.objects.get_for_object(plan_2023_audited).earliest("timestamp")
    assert entry.action == LogEntry.Action.CREATE and entry.actor is None


def test_the_whole_log_is_for_administrators_only(plan_2023, officer_client, admin_client):
    url = reverse("admin:auditlog_logentry_changelist")
    assert officer_client.get(url).status_code == 302  # sent to the admin login
    assert admin_client.get(url, {"q": "2.1"}).status_code == 200


def test_a_create_is_logged_without_the_other_objects_pointing_at_it(plan_2023_audited):
    """Reverse relations (a plan's targets, a unit's children) are not fields of the object: no "x.Y.None" rows."""
    from cchc.plans.models import Area

    area = Area.objects.filter(plan=plan_2023_audited).first()
    created = LogEntry.objects.get_for_object(area).get(action=LogEntry.Action.CREATE)
    assert "targets" not in created.changes_dict and "tasks" not in created.changes_dict
    assert "name" in created.changes_dict
    assert not any(str(after).endswith(".None") for _before, after in created.changes_dict.values())


def test_the_history_leaves_out_fields_empty_before_and_after(plan_2023_audited):
    from cchc.home.templatetags.audit_tags import field_changes
    from cchc.plans.models import Area

    area = Area.objects.filter(plan=plan_2023_audited).first()
    created = LogEntry.objects.get_for_object(area).get(action=LogEntry.Action.CREATE)
    shown = dict(field_changes(created))
    assert shown and all(values[1] not in (None, "", "None") for values in shown.values())
