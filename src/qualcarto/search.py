# SPDX-License-Identifier: MIT
"""Search across transcripts: keyword in context, case-insensitive, optionally by lemma.

Lemma matching uses spaCy's lookup lemmatizer, whose tables come from the
``spacy-lookups-data`` package installed on this machine; nothing is downloaded. When
that package is missing, ``lemmas_available()`` says so and only the plain search runs.
Offsets of hits are Python ``str`` indices, ready for ``add_coding``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.coding import codings_frame
from qualcarto.errors import ValidationError
from qualcarto.selection import snap
from qualcarto.store import Transcript, current_project
from qualcarto.transcripts.lookup import get_transcript

HIT_COLUMNS = ["transcript", "start", "end", "left", "match", "right"]


@lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def lemmas_available() -> bool:
    """True when spaCy can lemmatize English offline (``spacy-lookups-data`` is installed)."""
    try:
        _lemmatizer()
    except Exception:  # spaCy raises several kinds when the tables are missing
        return False
    return True


def _plain_hits(text: str, query: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(query), text, re.IGNORECASE)]


def _lemma_hits(text: str, query: str) -> list[tuple[int, int]]:
    nlp = _lemmatizer()
    wanted = [t.lemma_.lower() for t in nlp(query) if not t.is_space]
    tokens = [t for t in nlp(text) if not t.is_space]
    lemmas = [t.lemma_.lower() for t in tokens]
    size = len(wanted)
    return [
        (tokens[i].idx, tokens[i + size - 1].idx + len(tokens[i + size - 1].text))
        for i in range(len(tokens) - size + 1)
        if size and lemmas[i : i + size] == wanted
    ]


def search(
    session: Session,
    query: str,
    *,
    lemma: bool = False,
    transcripts: list[str] | None = None,
    width: int = 60,
) -> pd.DataFrame:
    """Every hit of ``query`` with ``width`` characters of context on each side.

    Case never matters. With ``lemma=True`` inflected forms match too ("shared" finds
    "sharing"); that needs ``lemmas_available()``.
    """
    query = unicodedata.normalize("NFC", query.strip())  # stored texts are NFC
    if not query:
        raise ValidationError("search: type a word or phrase")
    if lemma and not lemmas_available():
        raise ValidationError("search: lemma matching needs spacy-lookups-data, not installed")
    project = current_project(session)
    stmt = select(Transcript).where(Transcript.project_id == project.id).order_by(Transcript.id)
    if transcripts is not None:
        stmt = stmt.where(Transcript.name.in_(transcripts))
    rows = []
    for doc in session.scalars(stmt):
        hits = _lemma_hits(doc.text, query) if lemma else _plain_hits(doc.text, query)
        for start, end in hits:
            rows.append(
                {
                    "transcript": doc.name,
                    "start": start,
                    "end": end,
                    "left": doc.text[max(0, start - width) : start].replace("\n", " "),
                    "match": doc.text[start:end],
                    "right": doc.text[end : end + width].replace("\n", " "),
                }
            )
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def codes_on_hits(session: Session, hits: pd.DataFrame, coder: str) -> list[list[str]]:
    """For each hit, the codes ``coder`` already put on a span overlapping it (sorted)."""
    if hits.empty:
        return []
    codings = codings_frame(session, [coder], sorted(set(hits["transcript"])))
    by_transcript = {str(name): group for name, group in codings.groupby("transcript")}
    found: list[list[str]] = []
    for name, start, end in zip(hits["transcript"], hits["start"], hits["end"], strict=True):
        group = by_transcript.get(str(name))
        if group is None:
            found.append([])
            continue
        touching = group[(group["start"] < end) & (group["end"] > start)]
        found.append(sorted(set(touching["code_id"])))
    return found


def hit_spans(session: Session, hits: pd.DataFrame, unit: str) -> list[tuple[str, int, int]]:
    """The spans coding every hit would code: each match, or its sentence; each span once."""
    spans: dict[tuple[str, int, int], None] = {}
    docs: dict[str, Transcript] = {}
    for name, hit_start, hit_end in zip(
        hits["transcript"], hits["start"], hits["end"], strict=True
    ):
        doc = docs.get(str(name)) or docs.setdefault(str(name), get_transcript(session, str(name)))
        start, end = snap(session, doc, int(hit_start), int(hit_end), unit)
        spans[(doc.name, start, end)] = None
    return list(spans)


def already_coded(
    session: Session, spans: list[tuple[str, int, int]], code_id: str, coder: str
) -> list[tuple[str, int, int]]:
    """Those of ``spans`` that ``coder`` has already coded with exactly ``code_id``."""
    if not spans:
        return []
    codings = codings_frame(session, [coder], sorted({t for t, _, _ in spans}))
    codings = codings[codings["code_id"] == code_id]
    have = set(zip(codings["transcript"], codings["start"], codings["end"], strict=True))
    return [span for span in spans if span in have]
