# SPDX-License-Identifier: MIT
"""REFI-QDA for recordings: an ``AudioSource``/``VideoSource`` whose ``Transcript`` carries ``SyncPoint``s.

Each transcript with a kept recording gets, beside its ``TextSource`` (which keeps the
codings), a media source holding the recording (``sources/<guid>.<ext>``) and a
``Transcript`` of the same text with one ``SyncPoint`` (character ``position``, ``timeStamp``
in milliseconds) at the start and end of every timed sentence, as REFI-QDA 1.5 describes. Importing a project reads them back the same way.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from lxml import etree
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from qualcarto.config import resolve_media_dir
from qualcarto.errors import ConfigError, InputError
from qualcarto.exchange.refi_common import PROJECT_NS, SafeArchive, stable_guid
from qualcarto.media.importer import add_media_file
from qualcarto.media.library import file_sha256, keep, media_path
from qualcarto.media.probe import probe
from qualcarto.media.timing import time_range
from qualcarto.store import MediaFile, Segment, Transcript, Turn


def add_media_sources(
    sources: etree._Element,
    session: Session,
    transcripts: dict[str, Transcript],
    files: dict[str, bytes],
) -> int:
    """Add a media source per recorded transcript to ``sources``; returns how many."""
    folder = _media_folder(session)
    if folder is None:
        return 0
    ids = {t.id: name for name, t in transcripts.items()}
    media_rows = session.scalars(
        select(MediaFile).where(MediaFile.transcript_id.in_(ids)).order_by(MediaFile.id)
    )
    count = 0
    for media in media_rows:
        path = media_path(folder, media.sha256, media.suffix)
        if not path.is_file():
            continue
        name = ids[media.transcript_id]
        guid = stable_guid("media", name)
        tag = "VideoSource" if media.kind == "video" else "AudioSource"
        source = etree.SubElement(sources, f"{{{PROJECT_NS}}}{tag}")
        source.set("guid", guid)
        source.set("name", media.name)
        source.set("path", f"internal://{guid}{media.suffix}")
        files[f"sources/{guid}{media.suffix}"] = path.read_bytes()
        text_guid = stable_guid("source", name)
        transcript = etree.SubElement(source, f"{{{PROJECT_NS}}}Transcript")
        transcript.set("guid", stable_guid("transcript", name))
        transcript.set("name", name)
        transcript.set("plainTextPath", f"internal://{text_guid}.txt")
        segments = session.scalars(
            select(Segment)
            .where(Segment.transcript_id == media.transcript_id, Segment.media_start.is_not(None))
            .order_by(Segment.index)
        )
        placed: set[int] = set()
        for segment in segments:
            for position, seconds in (
                (segment.start, segment.media_start),
                (segment.end, segment.media_end),
            ):
                if position in placed:
                    continue
                placed.add(position)
                point = etree.SubElement(transcript, f"{{{PROJECT_NS}}}SyncPoint")
                point.set("guid", stable_guid("sync", name, str(position)))
                point.set("position", str(position))
                point.set("timeStamp", str(round((seconds or 0.0) * 1000)))
        count += 1
    return count


def _media_folder(session: Session) -> Path | None:
    try:
        bind = session.get_bind()
        url = bind.engine.url if isinstance(bind, Connection) else bind.url
        return resolve_media_dir(url.render_as_string(hide_password=True))
    except ConfigError:
        return None


def import_media_sources(
    session: Session,
    root: etree._Element,
    archive: SafeArchive,
    source: Path,
    actor: str = "system",
) -> list[str]:
    """Attach each ``AudioSource``/``VideoSource`` of a project to the transcript its
    ``Transcript`` names (imported from the text source just before), with the times of
    its ``SyncPoint``s; returns warnings for what could not be attached."""
    folder = _media_folder(session)
    warnings: list[str] = []
    for element in root.iter(f"{{{PROJECT_NS}}}AudioSource", f"{{{PROJECT_NS}}}VideoSource"):
        label = element.get("name") or element.get("guid") or "?"
        transcript_el = element.find(f"{{{PROJECT_NS}}}Transcript")
        member = archive.find("sources/" + (element.get("path") or "").removeprefix("internal://"))
        name = transcript_el.get("name") if transcript_el is not None else None
        transcript = (
            session.scalars(select(Transcript).where(Transcript.name == name)).first()
            if name
            else None
        )
        if folder is None or member is None or transcript is None or transcript_el is None:
            warnings.append(f"recording '{label}' skipped: no media folder, file or transcript")
            continue
        suffix = Path(member.filename).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / f"{Path(label).stem}{suffix}"
            copy.write_bytes(archive.read(member))
            try:
                info = probe(copy)
            except InputError as exc:
                raise InputError(source, f"recording '{label}': {exc.problem}") from exc
            sha = file_sha256(copy)
            keep(copy, folder, sha, suffix)
        timings = _sync_timings(transcript_el, transcript.length)
        add_media_file(
            session,
            transcript.id,
            label,
            suffix,
            info,
            sha,
            f"REFI-QDA: {source.name}",
            timings,
            actor,
        )
        rows: list[Turn | Segment] = [*transcript.turns, *transcript.segments]
        for row in rows:
            seconds = time_range(timings, row.start, row.end)
            row.media_start, row.media_end = seconds if seconds else (None, None)
    return warnings


def _sync_timings(transcript: etree._Element, length: int) -> list[list[float]]:
    points = sorted(
        {
            (int(p.get("position") or -1), int(p.get("timeStamp") or -1))
            for p in transcript.findall(f"{{{PROJECT_NS}}}SyncPoint")
        }
    )
    points = [(pos, ms) for pos, ms in points if 0 <= pos <= length and ms >= 0]
    return [
        [a, b, ta / 1000, tb / 1000]
        for (a, ta), (b, tb) in itertools.pairwise(points)
        if b > a and tb >= ta
    ]
