"""The history of a report ("Lịch sử thay đổi") in words: field labels, Tạo mới / Cập nhật, Có / Không, no "None →"
and no JSON."""

import pytest
from django.template import Context, Template
from django.utils import translation

from cchc.reports.models import Report
from cchc.reports.tests.conftest import unit

pytestmark = pytest.mark.django_db


def history_html(obj, user) -> str:
    with translation.override("vi"):
        return Template("{% load audit_tags %}{% history obj %}").render(Context({"obj": obj, "user": user}))


def test_the_history_of_a_report_reads_as_words(q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1, steering="Ban hành kế hoạch")
    report = Report.objects.get(pk=report.pk)
    report.on_time = True
    report.task_snapshot = [{"code": "T1.1", "status": "done"}]
    report.steering = "Ban hành kế hoạch (sửa)"
    report.save()

    html = history_html(report, accounts["snv"])
    assert "Tạo mới" in html and "Cập nhật" in html
    assert "create" not in html and "update" not in html
    updated = html.split("Cập nhật")[1].split("</tr>")[0]
    assert "Đúng hạn</strong>: — → Có" in updated  # the field's label, and a boolean as Có
    assert "Ban hành kế hoạch → Ban hành kế hoạch (sửa)" in updated
    assert "None" not in html and "True" not in html
    assert "T1.1" not in html and "{" not in html  # a snapshot is not shown as JSON
    created = html.split("Tạo mới")[1].split("</tr>")[0]
    assert "→" not in created  # a creation lists what was set, not "— → value"
