"""The Word report, opened back with python-docx; one copy is kept in test-artifacts/."""

import datetime as dt
import shutil

import pytest

from cchc.core.tests.test_browser import ARTIFACTS
from cchc.documents.queries import Options, compile_report
from cchc.documents.tests.docx_text import paragraphs, tables
from cchc.documents.word import render

AREAS = [
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    "1. Cải cách thể chế",
    "2. Cải cách thủ tục hành chính",
    "3. Cải cách tổ chức bộ máy hành chính nhà nước",
    "4. Cải cách chế độ công vụ",
    "5. Cải cách tài chính công",
    "6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
]


@pytest.fixture
def docx_path(q1_2023, tmp_path):
    options = Options(
        number_symbol="25/BC-UBND",
        date=dt.date(2023, 3, 20),
        signer_name="Nguyễn Hồng Hải",
        signer_title="Phó Chủ tịch",
        recipients=["Bộ Nội vụ", "Lưu: VT, SNV"],
    )
    path = render(compile_report(q1_2023, options), tmp_path / "bao-cao.docx")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, ARTIFACTS / "bao-cao-cchc-q1-2023.docx")
    return path


def test_header_has_the_decree_30_elements(docx_path):
    left, right = tables(docx_path)[0][0]
    assert left.splitlines() == ["UBND TỈNH BÌNH THUẬN", "Số: 25/BC-UBND"]
    assert right.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Thuận, ngày 20 tháng 3 năm 2023",
    ]
    text = paragraphs(docx_path)
    assert text[:2] == ["BÁO CÁO", "Tình hình thực hiện công tác cải cách hành chính Quý I năm 2023"]


def test_body_has_every_area_and_the_computed_figures(docx_path):
    text = paragraphs(docx_path)
    for heading in AREAS:
        assert heading in text
    assert any(
        line.startswith(
            "Số văn bản quy phạm pháp luật đã ban hành trong kỳ (trong kỳ từ ngày 15/12/2022 đến ngày 14/03/2023): 20"
            " (sở, ban, ngành 4; cấp huyện 16)"
        )
        for line in text
    )
    assert any("từ 60% đến 80%" in line for line in text)
    dossier_table = next(t for t in tables(docx_path) if t[0][:3] == ["Mã", "Chỉ tiêu", "Mục tiêu"])
    on_time = next(row for row in dossier_table if row[1] == "Hồ sơ TTHC giải quyết đúng hạn")
    assert on_time[-1] == "66,7% (2/3)"
    assert "- Đề nghị tập huấn nghiệp vụ số hóa (Thị xã La Gi)." in text


def test_who_reported_late_or_not_at_all(docx_path):
    submissions = next(t for t in tables(docx_path) if t[0][0] == "Cấp")
    assert submissions[0] == ["Cấp", "Phải báo cáo", "Đúng hạn", "Trễ hạn", "Chưa gửi"]
    districts = next(row for row in submissions if row[0] == "Cấp huyện")
    assert districts[2:4] == ["1", "1"]  # Phan Thiết on time, La Gi late
    text = paragraphs(docx_path)
    assert "Các đơn vị gửi báo cáo trễ hạn: Thị xã La Gi." in text
    assert any(line.startswith("Các đơn vị chưa gửi báo cáo:") and "Sở Nội vụ" in line for line in text)


def test_recipients_and_signer(docx_path):
    left, right = tables(docx_path)[-1][0]
    assert left.splitlines() == ["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT, SNV;"]
    assert right.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Hồng Hải"]
