"""Render a compiled province report (queries.ProvinceReport) as a Word document in the Decree 30 layout."""

from __future__ import annotations

from pathlib import Path

from cchc.documents import decree30
from cchc.documents.queries import ProvinceReport, Section, Table


def render(report: ProvinceReport, path: Path | str) -> Path:
    doc = decree30.new_document(
        report.issuer_parent,
        report.issuer,
        report.number_symbol,
        report.place,
        report.date,
        report.title,
        report.subtitle,
    )
    for section in report.sections:
        _section(doc, section)
    decree30.finish(doc, report.recipients, report.signer_title, report.signer_name, report.on_behalf)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _section(doc, section: Section) -> None:
    if section.heading:
        decree30.add_heading(doc, section.heading, section.level)
    for block in section.blocks:
        if isinstance(block, Table):
            if block.caption:
                decree30.add_paragraph(doc, block.caption, italic=True)
            decree30.add_table(doc, block.header, block.rows, block.widths)
        else:
            decree30.add_paragraph(doc, block)
    for child in section.children:
        _section(doc, child)
