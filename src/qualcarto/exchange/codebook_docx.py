# SPDX-License-Identifier: MIT
"""The codebook document as a Word file, written with python-docx.

Headings carry the hierarchy (a root code is Heading 2, its children Heading 3, ...),
so Word's navigation pane shows the codebook as a tree. Characters XML cannot hold
(control characters other than tab and newline) are dropped, as in the workbook.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt, RGBColor
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from qualcarto.exchange.codebook_text import FIELDS, count_line, excerpt_line, status_note
from qualcarto.reports.codebook_document import CodebookDocument

GREY = RGBColor(0x55, 0x55, 0x55)


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def codebook_docx(doc: CodebookDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    word = Document()
    word.core_properties.title = _clean(doc.title)[:255]
    word.add_heading(_clean(doc.title), level=0)
    stamp = f"Version {doc.version}" + (f" · published {doc.published}" if doc.published else "")
    if doc.project:
        stamp += f" · study {doc.project}"
    _note(word, stamp)
    if doc.source:
        _note(word, f"Source: {doc.source}")
    if doc.facets:
        word.add_heading("Facets", level=1)
        for name, values in doc.facets:
            item = word.add_paragraph(style="List Bullet")
            item.add_run(_clean(name)).bold = True
            item.add_run(": " + _clean(", ".join(values)))
    word.add_heading("Codes", level=1)
    _note(word, doc.rule)
    for code in doc.codes:
        note = status_note(code)
        heading = word.add_heading(_clean(code.name), level=min(code.depth + 2, 9))
        tail = heading.add_run(f"  ·  {code.code_id}" + (f"  ·  {note}" if note else ""))
        tail.font.size = Pt(10)
        _note(word, count_line(code))
        if code.facets:
            _note(word, ", ".join(f"{k}: {v}" for k, v in code.facets))
        fields = [(label, getattr(code, name)) for name, label in FIELDS]
        if code.keywords:
            fields.append(("Keywords", ", ".join(code.keywords)))
        for label, value in fields:
            if value:
                paragraph = word.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(_clean(value))
        if code.typical is not None:
            _note(word, f"Typical excerpt ({excerpt_line(code)}):")
            word.add_paragraph(_clean(code.typical.text), style="Quote")
    word.add_heading("Change log", level=1)
    table = word.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells, ("Version", "Published", "By", "Why", "What changed"), strict=True
    ):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for v in doc.history:
        row = table.add_row().cells
        values = (str(v.number), v.published, v.author, v.message, "\n".join(v.changes))
        for cell, value in zip(row, values, strict=True):
            cell.text = _clean(value)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _note(word: WordDocument, text: str) -> None:
    paragraph = word.add_paragraph()
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
