"""The Decree 30/2020 layout, checked by opening the saved file back with python-docx."""

import datetime

import docx
import pytest

from cchc.documents import decree30


def build(path):
    doc = decree30.new_document(
        "UBND TỈNH BÌNH THUẬN",
        "Sở Nội vụ",
        "25/BC-UBND",
        "Bình Thuận",
        datetime.date(2023, 3, 20),
        "Báo cáo",
        "Tình hình thực hiện công tác cải cách hành chính Quý I năm 2023",
    )
    decree30.add_heading(doc, "I. Công tác chỉ đạo, điều hành", 1)
    decree30.add_paragraph(doc, "Nội dung báo cáo.")
    decree30.add_table(doc, ["Chỉ tiêu", "Giá trị"], [["Hồ sơ", 1234], ["Tỷ lệ", 97.5]], widths=[10, 4])
    decree30.finish(
        doc,
        ["Bộ Nội vụ", "Lưu: VT, SNV"],
        "Phó Chủ tịch",
        "Nguyễn Văn A",
        on_behalf="TM. Ủy ban nhân dân\nKT. Chủ tịch",
    )
    doc.save(path)
    return docx.Document(path)


def cell_lines(cell):
    return [p.text for p in cell.paragraphs if p.text]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2023, 3, 20), "Bình Thuận, ngày 20 tháng 3 năm 2023"),
        (datetime.date(2023, 2, 5), "Bình Thuận, ngày 05 tháng 02 năm 2023"),
        (datetime.date(2023, 12, 31), "Bình Thuận, ngày 31 tháng 12 năm 2023"),
    ],
)
def test_vietnamese_date_pads_small_days_and_january_february(date, expected):
    assert decree30.vietnamese_date("Bình Thuận", date) == expected


def test_header_columns(tmp_path):
    doc = build(tmp_path / "d.docx")
    left, right = doc.tables[0].rows[0].cells
    assert cell_lines(left) == ["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ", "Số: 25/BC-UBND"]
    assert cell_lines(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Thuận, ngày 20 tháng 3 năm 2023",
    ]
    issuer = next(p for p in left.paragraphs if p.text == "SỞ NỘI VỤ")
    assert issuer.runs[0].bold
    motto = next(p for p in right.paragraphs if p.text == decree30.MOTTO)
    assert motto.runs[0].bold
    date = next(p for p in right.paragraphs if p.text.startswith("Bình Thuận"))
    assert date.runs[0].italic
    # a rule (bottom border) right under the motto
    index = [p.text for p in right.paragraphs].index(decree30.MOTTO)
    rule = right.paragraphs[index + 1]
    assert rule._p.pPr.find(docx.oxml.ns.qn("w:pBdr")) is not None


def test_title_body_and_page(tmp_path):
    doc = build(tmp_path / "d.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Tình hình thực hiện công tác cải cách hành chính Quý I năm 2023" in texts
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" in texts
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman"
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if run.text:
                assert 13 <= run.font.size.pt <= 14


def test_table_formats_numbers_in_vietnamese(tmp_path):
    doc = build(tmp_path / "d.docx")
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["Chỉ tiêu", "Giá trị"]
    assert [c.text for c in table.rows[1].cells] == ["Hồ sơ", "1.234"]
    assert [c.text for c in table.rows[2].cells] == ["Tỷ lệ", "97,5"]


def test_recipients_and_signer(tmp_path):
    doc = build(tmp_path / "d.docx")
    left, right = doc.tables[-1].rows[0].cells
    assert cell_lines(left) == ["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT, SNV;"]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert cell_lines(right) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]


def test_a_body_without_parent_writes_only_its_name(tmp_path):
    doc = decree30.new_document(
        "", "UBND tỉnh Bình Thuận", "Số: 25/BC-UBND", "Bình Thuận", datetime.date(2023, 3, 20), "Báo cáo"
    )
    doc.save(tmp_path / "d.docx")
    left = docx.Document(tmp_path / "d.docx").tables[0].rows[0].cells[0]
    assert cell_lines(left) == ["UBND TỈNH BÌNH THUẬN", "Số: 25/BC-UBND"]
