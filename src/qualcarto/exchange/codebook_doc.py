# SPDX-License-Identifier: MIT
"""The codebook as a readable document (docx, html, md): gathered from the store, then written.

``gather_codebook_document`` reads one version, every published version up to it and
the codings; ``qualcarto.reports.codebook_document`` turns them into the document's
content (the typical-excerpt rule is written there), and one writer per format renders it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qualcarto.codebook import get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.exchange.codebook_docx import codebook_docx
from qualcarto.exchange.codebook_text import to_html, to_markdown
from qualcarto.reports.codebook_document import (
    CodebookDocument,
    PublishedVersion,
    codebook_document,
)
from qualcarto.store import CodebookVersion, current_project

DocumentFormat = Literal["docx", "html", "md"]
DOCUMENT_FORMATS: tuple[DocumentFormat, ...] = ("docx", "html", "md")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
    "md": "text/markdown",
}


def gather_codebook_document(
    session: Session, number: int | None = None, viewer: str | None = None
) -> CodebookDocument:
    """The document of version ``number`` (default: the newest) with counts and change log.

    With ``viewer``, counts and excerpts come only from the codings that person may see
    (a coder in a blind study sees their own).
    """
    chosen = get_version(session, number)
    project = current_project(session)
    stored = session.scalars(
        select(CodebookVersion)
        .options(joinedload(CodebookVersion.author), joinedload(CodebookVersion.codes))
        .where(
            CodebookVersion.project_id == project.id,
            CodebookVersion.number <= chosen.number,
            CodebookVersion.number > 0,  # never a draft of a publish under way
        )
        .order_by(CodebookVersion.number)
    ).unique()
    versions = [
        PublishedVersion(
            v.number,
            v.created_at,
            v.author.name if v.author else "",
            v.message,
            version_codebook(v),
        )
        for v in stored
    ]
    codings = codings_frame(session, viewer=viewer)
    return codebook_document(
        version_codebook(chosen), chosen.number, versions, codings, project.name
    )


def render_codebook_document(doc: CodebookDocument, fmt: DocumentFormat) -> bytes:
    """The document in one format, as the bytes of the file (text formats in UTF-8)."""
    if fmt == "docx":
        return codebook_docx(doc)
    text = to_html(doc) if fmt == "html" else to_markdown(doc)
    return text.encode("utf-8")
