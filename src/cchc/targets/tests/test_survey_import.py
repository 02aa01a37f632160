"""Survey results in the SIPAS form: CSV or XLSX, every problem named by row and field, all or nothing, idempotent."""

import datetime as dt
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cchc.targets.models import Survey, SurveyResult

ARGS = dict(
    year=2023,
    index="health",
    title="Khảo sát y tế 2023",
    organiser="Sở Nội vụ",
    sample_size=400,
    started_on="2023-10-01",
    ended_on="2023-11-30",
    national=None,
)


def run(path, **kwargs):
    call_command("import_sipas", str(path), **{**ARGS, **kwargs}, stdout=StringIO())


def test_a_csv_with_shares_and_mean_scores(db, tmp_path):
    path = tmp_path / "sipas.csv"
    path.write_text(
        "DichVu,TieuChi,SoNguoiTraLoi,TyLeHaiLong,DiemTrungBinh\n"
        'Nội trú,TIEP_CAN,100,"86,5",\n'
        "Nội trú,KET_QUA,100,,4.5\n",
        "utf-8",
    )
    run(path, national="80,5")
    survey = Survey.objects.get()
    assert survey.sample_size == 400 and survey.ended_on == dt.date(2023, 11, 30)
    assert str(survey.national_value) == "80.50"
    lines = {r.criterion: r for r in survey.results.all()}
    assert str(lines["TIEP_CAN"].share_satisfied) == "86.50" and str(lines["KET_QUA"].mean_score) == "4.50"
    run(path)  # again: the same survey, its lines replaced
    assert Survey.objects.count() == 1 and SurveyResult.objects.count() == 2


def test_every_bad_row_is_named_and_nothing_is_written(db, tmp_path):
    path = tmp_path / "sipas.csv"
    path.write_text(
        "DichVu,TieuChi,SoNguoiTraLoi,TyLeHaiLong\n"
        "Nội trú,TIEP_CAN,100,86\n"
        "Nội trú,XYZ,100,86\n"
        "Ngoại trú,KET_QUA,0,86\n"
        "Ngoại trú,TIEP_CAN,50,120\n",
        "utf-8",
    )
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert "row 3, TieuChi: 'XYZ' is not a criterion of the method" in message
    assert "row 4, SoNguoiTraLoi: '0' is not a whole number > 0" in message
    assert "row 5, TyLeHaiLong: 120 is not between 0 and 100" in message
    assert not Survey.objects.exists()


def test_an_xlsx_form(db, tmp_path):
    path = tmp_path / "sipas.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DichVu", "TieuChi", "SoNguoiTraLoi", "TyLeHaiLong"])
    sheet.append(["Tiểu học", "TIEP_CAN", 120, 88.5])
    book.save(path)
    run(path, index="education")
    assert Survey.objects.get().results.get().respondents == 120


def test_an_administrator_uploads_the_form_on_the_surveys_page(plan_2023, client, make_account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {
        "year": "2023",
        "index": "admin",
        "title": "SIPAS tỉnh 2023",
        "organiser": "Sở Nội vụ",
        "sample_size": "300",
        "started_on": "2023-10-02",
        "ended_on": "2023-11-30",
        "national_value": "80,5",
    }
    bad = "DichVu,TieuChi,SoNguoiTraLoi,TyLeHaiLong\nĐất đai,TTHC,abc,90\n".encode()
    good = 'DichVu,TieuChi,SoNguoiTraLoi,TyLeHaiLong\nĐất đai,TTHC,200,"88,5"\n'.encode()

    client.force_login(make_account("STP", "editor"))
    assert "survey-form" not in client.get("/targets/surveys/").content.decode()
    response = client.post("/targets/surveys/", {**fields, "file": SimpleUploadedFile("s.csv", good)})
    assert response.status_code == 403

    client.force_login(make_account("SNV", "administrator"))
    response = client.post("/targets/surveys/", {**fields, "file": SimpleUploadedFile("s.csv", bad)})
    assert response.status_code == 400
    assert "row 2, SoNguoiTraLoi: &#x27;abc&#x27; is not a whole number &gt; 0" in response.content.decode()
    assert not Survey.objects.exists()
    response = client.post("/targets/surveys/", {**fields, "file": SimpleUploadedFile("s.csv", good)})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == survey.get_absolute_url()
    assert str(survey.national_value) == "80.50" and survey.created_by.username == "administrator-snv"
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "88,5%" in page and "80,5%" in page
