"""`cchc backup` then changes then `cchc restore`: the database and the uploaded files are exactly as they were."""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cchc.core.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def media_state() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    files = [p for p in root.rglob("*") if p.is_file()]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def database_state() -> dict:
    users = get_user_model().objects.order_by("username")
    return {
        "users": list(users.values_list("username", "email", "password")),
        "jobs": list(Job.objects.order_by("pk").values_list("pk", "title", "status", "result")),
    }


def test_a_backup_restores_the_database_and_the_files_as_they_were(tmp_path):
    user_model = get_user_model()
    user_model.objects.create_user("truoc.sao.luu", "a@example.vn", "mat-khau-1")
    Job.objects.create(kind="import_dossiers", title="hồ sơ quý 1.csv", status="done", result={"summary": {"rows": 3}})
    evidence = Path(settings.MEDIA_ROOT) / "progress" / "2023" / "minh-chung.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 bien ban")
    before_db, before_media = database_state(), media_state()

    out = StringIO()
    call_command("backup", output=str(tmp_path / "sao-luu.tar"), stdout=out)
    assert "1 files" in out.getvalue()

    # Life goes on: an account removed, another added, a job changed, files removed and added.
    user_model.objects.filter(username="truoc.sao.luu").delete()
    user_model.objects.create_user("sau.sao.luu", "b@example.vn", "mat-khau-2")
    Job.objects.update(title="đã đổi")
    evidence.unlink()
    (evidence.parent / "moi.png").write_bytes(b"\x89PNG new")
    assert database_state() != before_db and media_state() != before_media

    call_command("restore", str(tmp_path / "sao-luu.tar"), yes=True, stdout=StringIO())

    assert database_state() == before_db
    assert media_state() == before_media
    assert user_model.objects.get(username="truoc.sao.luu").check_password("mat-khau-1")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    import tarfile

    bogus = tmp_path / "khac.tar"
    with tarfile.open(bogus, "w") as archive:
        note = tmp_path / "ghi-chu.txt"
        note.write_text("không phải bản sao lưu")
        archive.add(note, "ghi-chu.txt")
    get_user_model().objects.create_user("van.con", "c@example.vn", "x")
    with pytest.raises(CommandError, match="not a cchc backup"):
        call_command("restore", str(bogus), yes=True)
    assert get_user_model().objects.filter(username="van.con").exists()
