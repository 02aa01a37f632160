import json
from io import StringIO

from django.core.management import call_command

from cchc.indicators.models import EnteredValue
from cchc.indicators.queries import indicators_document
from cchc.units.models import Unit

CSV = """DonVi,KyBaoCao,MaChiSo,TuSo,MauSo,TyLe,Nguon
593,2023,PUBLISH_ON_TIME,45,50,,Cổng DVCQG 31/12/2023
593,2023,ELECTRONIC_CERTIFIED_COPY,,,62.5,Cổng DVCQG
999,2023,PUBLISH_ON_TIME,1,2,,
593,2023Q9,PUBLISH_ON_TIME,1,2,,
593,2023,PROCESSING_ON_TIME,1,2,,
593,2023,PUBLIC_UPDATE_ON_TIME,5,2,,
593,2023,PUBLIC_CONTENT_FULL,x,2,,
"""


def test_import_loads_valid_rows_and_names_each_bad_one(plan_2023, tmp_path):
    path = tmp_path / "766.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    out, err = StringIO(), StringIO()
    call_command("import_766_values", str(path), stdout=out, stderr=err)
    assert "2 value(s) imported, 5 error(s)" in out.getvalue()
    errors = err.getvalue()
    assert "line 4, DonVi = '999': unknown unit code" in errors
    assert "line 5, KyBaoCao = '2023Q9'" in errors
    assert "line 6, MaChiSo = 'PROCESSING_ON_TIME': computed from dossiers" in errors
    assert "line 7, TuSo = '5': greater than MauSo 2" in errors
    assert "line 8, TuSo = 'x': not a whole number" in errors
    call_command("import_766_values", str(path), stdout=StringIO(), stderr=StringIO())  # idempotent
    assert EnteredValue.objects.count() == 2


def test_entered_values_join_the_index(plan_2023, tmp_path):
    path = tmp_path / "766.csv"
    path.write_text(CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n", encoding="utf-8")
    call_command("import_766_values", str(path), stdout=StringIO(), stderr=StringIO())
    document = json.loads(json.dumps(indicators_document(Unit.objects.get(code="593"), "2023")))
    assert document["metrics766"]["PUBLISH_ON_TIME"] == {"numerator": 45, "denominator": 50, "ratio": 90.0}
    assert document["index766"]["metrics"]["PUBLISH_ON_TIME"]["score"] == 5.4
    assert document["metrics766"]["PUBLIC_UPDATE_ON_TIME"] is None  # still not entered: null
