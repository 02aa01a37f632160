"""An official document in the layout of Decree 30/2020/NĐ-CP (Appendix I), built with python-docx.

Pure: no Django, no database. The caller builds the header with `new_document`, adds the body with
`add_heading` / `add_paragraph` / `add_table`, then closes it with `finish` (recipients and signer).

Layout rules followed (Appendix I of the decree): A4 portrait; margins top and bottom 20–25 mm, left
30–35 mm, right 15–20 mm; Times New Roman; a two-column header without borders — left the issuing body
(parent body upright, issuer bold, a short rule, then "Số: …"), right the national title (bold, upper
case) and the motto (bold, with a rule under it) then the place and date (italic); the kind of document
centred bold upper case and its summary bold below; "Nơi nhận:" bold italic 12 pt with the list in
11 pt; the signer block bold, centred in the right column.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from cchc.core.text import xml_safe

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13

# Width available between the margins: 210 - 30 - 20 mm.
TEXT_WIDTH_MM = 160
LEFT_COLUMN_MM = 62
RIGHT_COLUMN_MM = TEXT_WIDTH_MM - LEFT_COLUMN_MM


def vietnamese_date(place: str, date: datetime.date) -> str:
    """'Bình Thuận, ngày 20 tháng 3 năm 2023'. The decree writes days below 10 and months 1 and 2 with a
    leading zero ('ngày 05 tháng 02 năm 2023') so nobody can add a digit later."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    text = f"ngày {day} tháng {month} năm {date.year}"
    return f"{place}, {text}" if place else text


def new_document(
    issuer_parent: str,
    issuer: str,
    number_symbol: str,
    place: str,
    date: datetime.date,
    title: str,
    subtitle: str = "",
) -> docx.document.Document:
    """A new A4 document with the decree's header (issuing body, number, national title, motto, place and
    date) and its title ('BÁO CÁO') and summary ('Tình hình thực hiện …')."""
    doc = docx.Document()
    _page_setup(doc)
    _base_font(doc)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left, right = header.rows[0].cells
    _set_width(header, 0, Mm(LEFT_COLUMN_MM))
    _set_width(header, 1, Mm(RIGHT_COLUMN_MM))

    if issuer_parent:  # a body with no parent (the province's People's Committee) writes only its own name
        _cell_line(left, issuer_parent.upper(), size=HEADER_PT, first=True)
    _cell_line(left, issuer.upper(), size=HEADER_PT, bold=True, first=not issuer_parent)
    _rule(left, width_mm=LEFT_COLUMN_MM, length_mm=18)
    number = number_symbol.strip()
    if number and not number.lower().startswith("số"):
        number = f"Số: {number}"
    _cell_line(left, number, size=HEADER_PT, space_before=4)

    _cell_line(right, NATIONAL_TITLE, size=HEADER_PT, bold=True, first=True)
    _cell_line(right, MOTTO, size=BODY_PT, bold=True)
    _rule(right, width_mm=RIGHT_COLUMN_MM, length_mm=56)
    _cell_line(right, vietnamese_date(place, date), size=BODY_PT, italic=True, space_before=4)

    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(0)
    _run(heading, title.upper(), size=BODY_PT, bold=True)
    if subtitle:
        summary = doc.add_paragraph()
        summary.alignment = WD_ALIGN_PARAGRAPH.CENTER
        summary.paragraph_format.space_after = Pt(0)
        _run(summary, subtitle, size=BODY_PT, bold=True)
    _rule_paragraph(doc.add_paragraph(), width_mm=TEXT_WIDTH_MM, length_mm=40)
    return doc


def add_heading(doc, text: str, level: int = 1):
    """A section heading: level 1 bold upper case ('I. …'), level 2 bold, level 3 bold italic. Plain
    paragraphs (not Word's Heading styles) so the decree's font and size hold whatever the template."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Cm(1)
    fmt.space_before = Pt(6)
    fmt.space_after = Pt(6)
    fmt.keep_with_next = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(paragraph, text.upper() if level == 1 else text, size=BODY_PT, bold=True, italic=level >= 3)
    return paragraph


def add_paragraph(doc, text: str, *, bold: bool = False, italic: bool = False):
    """A body paragraph: justified, first line indented 1 cm, 6 pt between paragraphs, single spacing."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Cm(1)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(paragraph, text, size=BODY_PT, bold=bold, italic=italic)
    return paragraph


def add_table(doc, header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float] | None = None, size=12):
    """A bordered table with a bold, repeated header row. `widths` in centimetres; numbers right-aligned."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, str(text), size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cell, _format_value(value), size=size, align=align)
    if widths:
        table.autofit = False
        for index, width in enumerate(widths):
            _set_width(table, index, Cm(width))
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def finish(doc, recipients: Sequence[str], signer_title: str, signer_name: str, on_behalf: str = ""):
    """Close the document: 'Nơi nhận:' bottom-left, the signer block bottom-right.

    `on_behalf` holds the lines above the title, one per line: e.g. "TM. ỦY BAN NHÂN DÂN\\nKT. CHỦ TỊCH"
    with signer_title "PHÓ CHỦ TỊCH"."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _set_width(table, 0, Mm(LEFT_COLUMN_MM + 18))
    _set_width(table, 1, Mm(RIGHT_COLUMN_MM - 18))
    left, right = table.rows[0].cells

    _cell_line(left, RECIPIENTS_LABEL, size=12, bold=True, italic=True, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in recipients:
        _cell_line(left, f"- {recipient};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)

    first = True
    for line in [part for part in on_behalf.splitlines() if part.strip()]:
        _cell_line(right, line.strip().upper(), size=BODY_PT, bold=True, first=first)
        first = False
    _cell_line(right, signer_title.upper(), size=BODY_PT, bold=True, first=first)
    for _ in range(4):  # room for the signature and the seal
        _cell_line(right, "", size=BODY_PT)
    _cell_line(right, signer_name, size=BODY_PT, bold=True)
    return table


# --- internals -------------------------------------------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(20)


def _base_font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _run(paragraph, text: str, *, size: int, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(xml_safe(text))  # stored text never breaks the document
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _cell_line(cell, text, *, size, bold=False, italic=False, first=False, space_before=0, align=None):
    """One centred line in a header cell (the cell's own first, empty paragraph is reused)."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _cell_text(cell, text, *, size, bold=False, align=None):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size=size, bold=bold)


def _rule(cell, *, width_mm: float, length_mm: float) -> None:
    _rule_paragraph(cell.add_paragraph(), width_mm=width_mm, length_mm=length_mm)


def _rule_paragraph(paragraph, *, width_mm: float, length_mm: float) -> None:
    """A short centred horizontal line: an empty 2-pt paragraph with a bottom border, indented from both sides."""
    indent = max(0.0, (width_mm - length_mm) / 2 - 2)  # the cell's own padding is about 2 mm
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(indent)
    fmt.right_indent = Mm(indent)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    run = paragraph.add_run()
    run.font.size = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # The schema orders pPr's children: the border comes before shading, tabs, spacing, indentation, alignment.
    ppr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr"
    )


def _set_width(table, column: int, width) -> None:
    table.columns[column].width = width
    for row in table.rows:
        row.cells[column].width = width


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    # tblHeader follows trHeight in the schema's order; jc and the rest come after it.
    tr_pr.insert_element_before(marker, "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def _format_value(value) -> str:
    """Vietnamese number format: '.' for thousands, ',' for decimals; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return str(value)
