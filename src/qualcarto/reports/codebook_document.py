# SPDX-License-Identifier: MIT
"""The codebook as a document's content: hierarchy, definitions, counts, typical excerpts, log.

Pure: a ``Codebook``, the codings as a ``codings_frame`` and the published versions in,
a ``CodebookDocument`` of plain values out; ``qualcarto.exchange.codebook_docx`` and
``codebook_text`` write it as docx, html or markdown, so all three say the same.

**The typical excerpt of a code** (``TYPICAL_RULE``, also in docs/codebook.md):

1. *agreement* of a coding: the number of distinct coders who coded the same code on a
   span overlapping it in the same transcript (its own coder included);
2. keep the codings with the highest agreement;
3. of those, the one whose length is closest to the median length of all the code's
   codings (a typical size, neither a one-word nor a page-long instance);
4. ties: the first by transcript name, then by start offset, then by coding id.

Counts and excerpts are of the codings as they are now, under the code they carry now
(merges already followed); a parent code counts only the codings applied to it itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from qualcarto.codebook.diff import diff_codebooks
from qualcarto.codebook.model import Codebook, CodeDef

TYPICAL_RULE = (
    "The typical excerpt of a code is the coding that the most coders agree on (distinct "
    "coders whose codings of the same code overlap it in the same transcript); among "
    "those, the one whose length is closest to the median length of the code's codings; "
    "ties go to the first transcript by name, then the earliest start."
)
EXCERPT_LIMIT = 600


@dataclass(frozen=True)
class Excerpt:
    """One passage standing for a code: where it is, its text and how many coders agree."""

    transcript: str
    start: int
    end: int
    text: str
    coders: int


@dataclass(frozen=True)
class CodeEntry:
    """One code as the document shows it; ``depth`` is its level in the hierarchy (0 = root)."""

    code_id: str
    name: str
    depth: int
    path: tuple[str, ...]
    status: str
    merged_into: str | None
    definition: str
    include: str
    exclude: str
    example: str
    facets: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    codings: int
    transcripts: int
    typical: Excerpt | None


@dataclass(frozen=True)
class VersionEntry:
    """One published version in the change log: who published it, when, why, what changed."""

    number: int
    published: str
    author: str
    message: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class CodebookDocument:
    """Everything a codebook document states, in reading order."""

    title: str
    project: str
    version: int
    published: str
    source: str
    facets: tuple[tuple[str, tuple[str, ...]], ...]
    codes: tuple[CodeEntry, ...]
    history: tuple[VersionEntry, ...]
    rule: str = TYPICAL_RULE


@dataclass(frozen=True)
class PublishedVersion:
    """A stored version as the change log needs it."""

    number: int
    published: datetime | None
    author: str
    message: str
    codebook: Codebook


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else ""


def change_log(versions: Sequence[PublishedVersion]) -> tuple[VersionEntry, ...]:
    """Each version, oldest first, with the changes from the one before it."""
    entries = []
    previous: Codebook | None = None
    for version in sorted(versions, key=lambda v: v.number):
        if previous is None:
            active = sum(1 for c in version.codebook.codes if c.active)
            changes: tuple[str, ...] = (f"first version: {active} active codes",)
        else:
            changes = tuple(diff_codebooks(previous, version.codebook).lines())
        entries.append(
            VersionEntry(
                version.number,
                _stamp(version.published),
                version.author,
                version.message,
                changes,
            )
        )
        previous = version.codebook
    return tuple(entries)


def typical_excerpts(codings: pd.DataFrame) -> dict[str, Excerpt]:
    """The typical excerpt of every code that has codings, by the rule in this module's doc."""
    if not len(codings):
        return {}
    base = codings[["coding_id", "code_id", "transcript", "coder", "start", "end"]]
    # Each coding against every coding of its code in its transcript (itself included):
    # the distinct coders among those overlapping it are its agreement.
    pairs = base.merge(
        base[["code_id", "transcript", "coder", "start", "end"]],
        on=["code_id", "transcript"],
        suffixes=("", "_other"),
    )
    overlapping = (pairs["start_other"] < pairs["end"]) & (pairs["end_other"] > pairs["start"])
    agreement = pairs[overlapping].groupby("coding_id")["coder_other"].nunique()
    length = codings["end"] - codings["start"]
    median = length.groupby(codings["code_id"]).transform("median")
    ranked = codings.assign(
        agreement=codings["coding_id"].map(agreement).fillna(1).astype(int),
        distance=(length - median).abs(),
    ).sort_values(
        ["code_id", "agreement", "distance", "transcript", "start", "coding_id"],
        ascending=[True, False, True, True, True, True],
    )
    firsts = ranked.drop_duplicates("code_id")
    chosen: dict[str, Excerpt] = {}
    for code_id, transcript, start, end, text, agreement in zip(
        firsts["code_id"].tolist(),
        firsts["transcript"].tolist(),
        firsts["start"].tolist(),
        firsts["end"].tolist(),
        firsts["text"].astype(str).tolist(),
        firsts["agreement"].tolist(),
        strict=True,
    ):
        if len(text) > EXCERPT_LIMIT:
            text = text[:EXCERPT_LIMIT].rstrip() + " …"
        chosen[str(code_id)] = Excerpt(str(transcript), int(start), int(end), text, int(agreement))
    return chosen


def _in_tree_order(codebook: Codebook) -> list[tuple[CodeDef, int]]:
    """Codes depth first, children in file order; a code whose parent is missing is a root.

    A stack, not recursion: a codebook thousands of levels deep is ordered like a flat one.
    """
    known = codebook.by_id()
    ordered: list[tuple[CodeDef, int]] = []
    seen: set[str] = set()
    roots = [c for c in codebook.codes if c.parent is None or c.parent not in known]
    stack = [(code, 0) for code in reversed(roots)]
    while stack:
        code, depth = stack.pop()
        if code.id in seen:
            continue
        seen.add(code.id)
        ordered.append((code, depth))
        stack.extend((child, depth + 1) for child in reversed(codebook.children(code.id)))
    return ordered


def codebook_document(
    codebook: Codebook,
    version: int,
    versions: Sequence[PublishedVersion],
    codings: pd.DataFrame,
    project: str = "",
) -> CodebookDocument:
    """The document of ``codebook`` (published as ``version``), its counts and change log.

    ``codings`` is a ``codings_frame``; ``versions`` are the published versions up to and
    including ``version`` (later ones are left out of the log).
    """
    counts = codings.groupby("code_id").size()
    spread = codings.groupby("code_id")["transcript"].nunique()
    typical = typical_excerpts(codings[codings["code_id"].isin(codebook.by_id())])
    entries = tuple(
        CodeEntry(
            code_id=code.id,
            name=code.name,
            depth=depth,
            path=tuple(codebook.path(code.id)),
            status=code.status,
            merged_into=code.merged_into,
            definition=code.definition,
            include=code.include,
            exclude=code.exclude,
            example=code.example,
            facets=tuple(code.facets.items()),
            keywords=code.keywords,
            codings=int(counts.get(code.id, 0)),
            transcripts=int(spread.get(code.id, 0)),
            typical=typical.get(code.id),
        )
        for code, depth in _in_tree_order(codebook)
    )
    history = change_log([v for v in versions if v.number <= version])
    this = next((v for v in history if v.number == version), None)
    return CodebookDocument(
        title=codebook.title or f"Codebook version {version}",
        project=project,
        version=version,
        published=this.published if this else "",
        source=codebook.source,
        facets=tuple((name, tuple(values)) for name, values in codebook.facets.items()),
        codes=entries,
        history=history,
    )
