"""Sở Nội vụ hands over the accounts of ~150 units as one CSV: all or nothing, errors by row and field."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cchc.accounts.models import Membership

GOOD = """username,email,unit,role
bientap.593,bt593@binhthuan.gov.vn,593,editor
lanhdao.593,ld593@binhthuan.gov.vn,593,head
snv.admin,admin@snv.binhthuan.gov.vn,SNV,administrator
"""


def run(tmp_path, text):
    path = tmp_path / "accounts.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_accounts", str(path), stdout=out, stderr=out)
    return out.getvalue()


def test_accounts_are_created_with_unit_and_role_and_a_second_run_changes_nothing(plan_2023, tmp_path):
    assert "3 created" in run(tmp_path, GOOD)
    membership = Membership.objects.select_related("unit", "user").get(user__username="lanhdao.593")
    assert (membership.unit.code, membership.role) == ("593", "head")
    assert not membership.user.has_usable_password()
    assert "0 created, 0 updated, 3 unchanged" in run(tmp_path, GOOD)


def test_a_changed_role_is_updated(plan_2023, tmp_path):
    run(tmp_path, GOOD)
    assert "1 updated" in run(tmp_path, GOOD.replace("593,editor", "593,district_officer"))
    assert Membership.objects.get(user__username="bientap.593").role == "district_officer"


def test_bad_rows_are_named_and_nothing_is_written(plan_2023, tmp_path):
    bad = GOOD + "x y,not-an-email,999999,boss\nbientap.593,,593,editor\n"
    path = tmp_path / "accounts.csv"
    path.write_text(bad, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_accounts", str(path), stdout=StringIO(), stderr=err)
    messages = err.getvalue()
    assert "row 5, username" in messages
    assert "row 5, email: 'not-an-email'" in messages
    assert "row 5, unit: no current unit has the code '999999'" in messages
    assert "row 5, role: 'boss'" in messages
    assert "row 6, username: bientap.593 already appears on row 2" in messages
    assert not get_user_model().objects.filter(username="snv.admin").exists()


def test_a_file_without_the_expected_columns_is_refused(plan_2023, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path, "user,mail\nx,y\n")


def test_the_optional_columns_give_each_person_a_full_name_and_a_title(plan_2023, tmp_path):
    named = """username,email,unit,role,full_name,title
bientap.593,bt593@binhthuan.gov.vn,593,editor,Phạm Thị Thu Hà,Chuyên viên Phòng Nội vụ
lanhdao.593,ld593@binhthuan.gov.vn,593,head,Võ  Minh Tuấn,
"""
    assert "2 created" in run(tmp_path, named)
    editor = Membership.objects.get(user__username="bientap.593")
    assert (editor.full_name, editor.title) == ("Phạm Thị Thu Hà", "Chuyên viên Phòng Nội vụ")
    assert Membership.objects.get(user__username="lanhdao.593").full_name == "Võ Minh Tuấn"
    assert "0 created, 0 updated, 2 unchanged" in run(tmp_path, named)
    # A file of the first contract (no such columns) keeps the names stored.
    assert "2 unchanged" in run(tmp_path, GOOD.replace("snv.admin,admin@snv.binhthuan.gov.vn,SNV,administrator\n", ""))
    assert Membership.objects.get(user__username="bientap.593").full_name == "Phạm Thị Thu Hà"
    assert "1 updated" in run(tmp_path, named.replace("Chuyên viên Phòng Nội vụ", "Trưởng phòng Nội vụ"))
    assert Membership.objects.get(user__username="bientap.593").title == "Trưởng phòng Nội vụ"
