# SPDX-License-Identifier: MIT
"""Pseudonymise a study: replace names and places through the offset-keeping correction.

The key (real name -> pseudonym) lives only in the csv file the user keeps; the store
receives the replaced text and never the key, and audit entries written here carry
offsets, not the words replaced. Candidates come from spaCy's rule-based ``Matcher``
(capitalised tokens that do not start a sentence) and from the participants' attributes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from spacy.matcher import Matcher
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcarto.errors import InputError
from qualcarto.store import AuditEvent, Coding, MediaFile, Memo, Participant, Transcript, record
from qualcarto.transcripts.corrections import CorrectionReport, correct_transcript
from qualcarto.transcripts.decode import decode_text, read_bytes
from qualcarto.transcripts.segment import sentence_pipeline
from qualcarto.users import get_user

KEY_COLUMNS = ("name", "pseudonym")


@dataclass
class PseudonymReport:
    """What pseudonymising changed."""

    transcripts: list[CorrectionReport] = field(default_factory=list)
    replacements: int = 0
    memos: int = 0

    def summary(self) -> str:
        changed = sum(1 for r in self.transcripts if r.moved or r.unchanged or r.flagged)
        return (
            f"{self.replacements} replacements in {len(self.transcripts)} transcripts "
            f"({changed} with codings moved), {self.memos} memos"
        )


def read_key(path: Path) -> dict[str, str]:
    """The key file: a csv with columns ``name`` and ``pseudonym``; rows without a pseudonym are skipped."""
    return parse_key(decode_text(read_bytes(path), path), path)


def parse_key(text: str, source: str | Path) -> dict[str, str]:
    """A key from csv text (``name,pseudonym``); errors name ``source`` and the line."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not set(KEY_COLUMNS) <= set(reader.fieldnames):
        raise InputError(source, "needs the columns 'name' and 'pseudonym'")
    key: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        name, pseudonym = (row["name"] or "").strip(), (row["pseudonym"] or "").strip()
        if not name or not pseudonym:
            continue
        if name in key and key[name] != pseudonym:
            raise InputError(source, f"line {line}: '{name}' has two pseudonyms")
        key[name] = pseudonym
    if not key:
        raise InputError(source, "holds no name with a pseudonym")
    return key


def _pattern(key: dict[str, str]) -> re.Pattern[str]:
    names = sorted(key, key=len, reverse=True)  # "Anna Berg" before "Anna"
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def replace_names(text: str, key: dict[str, str]) -> tuple[str, int]:
    """``text`` with every whole-word occurrence of a key name replaced, and how many."""
    pattern = _pattern(key)
    return pattern.subn(lambda m: key[m.group(1)], text)


def pseudonymise(session: Session, key: dict[str, str], actor: str) -> PseudonymReport:
    """Replace the key's names in every transcript (codings move along), coding memos and memos."""
    get_user(session, actor)
    report = PseudonymReport()
    for name in session.scalars(select(Transcript.name).order_by(Transcript.name)).all():
        text = session.scalars(select(Transcript.text).where(Transcript.name == name)).one()
        new_text, count = replace_names(text, key)
        if count:
            report.transcripts.append(
                correct_transcript(session, name, new_text, actor, audit_text=False)
            )
            report.replacements += count
    for coding in session.scalars(select(Coding).where(Coding.memo != "")):
        coding.memo, count = replace_names(coding.memo, key)
        report.memos += bool(count)
    for memo in session.scalars(select(Memo)):
        memo.text, count = replace_names(memo.text, key)
        report.memos += bool(count)
    record(
        session,
        actor,
        "study.pseudonymise",
        "project",
        "",
        names=len(key),
        replacements=report.replacements,
        transcripts=len(report.transcripts),
    )
    return report


def scrub_copy(session: Session, key: dict[str, str]) -> None:
    """Make a copied store fit to share: names out of the audit trail, recordings unlinked
    (a voice identifies a person; the copy carries text and times only)."""
    pattern = _pattern(key)
    for event in session.scalars(select(AuditEvent)):
        dumped = json.dumps(event.payload, ensure_ascii=False)
        cleaned = pattern.sub(lambda m: key[m.group(1)], dumped)
        if cleaned != dumped:
            event.payload = json.loads(cleaned)
    session.execute(delete(MediaFile))


def name_candidates(session: Session) -> pd.DataFrame:
    """Words that may be names or places, most frequent first: ``name``, ``count``, ``from``.

    spaCy's rule-based ``Matcher`` finds runs of capitalised tokens that do not start a
    sentence; participants' attribute values found in the text are added.
    """
    nlp = sentence_pipeline()
    matcher = Matcher(nlp.vocab)
    matcher.add(
        "CAPITALISED",
        [[{"IS_TITLE": True, "IS_SENT_START": False, "OP": "+"}]],
        greedy="LONGEST",
    )
    counts: Counter[str] = Counter()
    sources: dict[str, str] = {}
    texts = list(session.scalars(select(Transcript.text)))
    paragraphs = (p for text in texts for p in text.split("\n\n") if p.strip())
    for doc in nlp.pipe(paragraphs):
        for _id, start, end in matcher(doc):
            counts[doc[start:end].text] += 1
            sources.setdefault(doc[start:end].text, "capitalised")
    everything = "\n".join(texts)
    for attributes in session.scalars(select(Participant.attributes)):
        for value in (attributes or {}).values():
            value = str(value).strip()
            if (
                value
                and value[0].isupper()
                and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", everything)
            ):
                counts[value] += len(re.findall(rf"(?<!\w){re.escape(value)}(?!\w)", everything))
                sources[value] = "participants"
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame(
        [(name, count, sources[name]) for name, count in rows], columns=["name", "count", "from"]
    )


def write_key_template(frame: pd.DataFrame, path: Path) -> int:
    """Write candidates as a key file to fill in (``name,pseudonym``, pseudonyms empty)."""
    if path.exists():
        raise InputError(path, "already exists; the key file is never overwritten")
    out = frame[["name"]].assign(pseudonym="")
    out.to_csv(path, index=False)
    return len(out)
