"""Read a .docx back in document order: paragraphs and table rows as text."""

import docx
from docx.oxml.ns import qn


def blocks(path) -> list:
    """[str for a paragraph | list[list[str]] for a table], in the body's order."""
    document = docx.Document(path)
    result = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            result.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        elif element.tag == qn("w:tbl"):
            result.append(
                [
                    ["\n".join(_para_texts(cell)) for cell in row.findall(qn("w:tc"))]
                    for row in element.findall(qn("w:tr"))
                ]
            )
    return result


def _para_texts(cell):
    return [text for p in cell.findall(qn("w:p")) if (text := "".join(t.text or "" for t in p.iter(qn("w:t"))))]


def paragraphs(path) -> list[str]:
    return [block for block in blocks(path) if isinstance(block, str) and block]


def tables(path) -> list[list[list[str]]]:
    return [block for block in blocks(path) if isinstance(block, list)]
