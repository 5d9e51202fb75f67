# SPDX-License-Identifier: MIT
"""Read a transcript file of any supported format into one normalized text.

Every format ends up as the same shape of text: speaker turns as ``Name: words``
paragraphs. That way one turn finder and one offset space serve all formats.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import webvtt
from docx import Document
from webvtt.errors import MalformedCaptionError, MalformedFileError

from qualcarto.errors import InputError
from qualcarto.transcripts.decode import BROKEN_ZIP, decode_text, normalize_text
from qualcarto.transcripts.turns import SPEAKER_LABEL

SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")

# Limits for the zip container of a .docx: a real interview is far below them, a zip bomb
# far above.
MAX_DOCX_MEMBERS = 2_000
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def read_transcript(path: Path, data: bytes) -> str:
    """Return the normalized text of a transcript file whose raw bytes are ``data``."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            path, f"unsupported file type '{path.suffix}'; use one of {', '.join(SUFFIXES)}"
        )
    return normalize_text(reader(path, data), path)


def _read_plain(path: Path, data: bytes) -> str:
    return decode_text(data, path)


def _check_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except BROKEN_ZIP as exc:
        raise InputError(path, "not a valid .docx (not a zip archive)") from exc
    members = archive.infolist()
    if len(members) > MAX_DOCX_MEMBERS:
        raise InputError(path, f"not a plausible .docx ({len(members)} archive members)")
    total = sum(m.file_size for m in members)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise InputError(path, f"refused: unpacks to {total / 1e6:.0f} MB (zip bomb?)")
    for member in members:
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            raise InputError(path, f"refused: member '{member.filename}' escapes the archive")
        if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
            raise InputError(
                path, f"refused: {member.filename} is compressed suspiciously well (zip bomb?)"
            )
    if "word/document.xml" not in archive.namelist():
        raise InputError(path, "not a valid .docx (no word/document.xml)")
    # python-docx parses every XML part, so every part is checked for a DTD, in full: a
    # DTD may hide behind a long comment.
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")) and _declares_dtd(
            _read_member(path, archive, member)
        ):
            raise InputError(path, f"refused: {member.filename} declares a DTD (entity attack?)")
    return archive


def _read_member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes; zipfile stops at the declared size and checks the CRC."""
    try:
        return archive.read(member)
    except BROKEN_ZIP as exc:
        raise InputError(path, f"not a valid .docx (cannot read {member.filename}: {exc})") from exc


def _declares_dtd(data: bytes) -> bool:
    if b"\x00" in data[:64]:  # UTF-16 or UTF-32: look at the characters, not the bytes
        data = data.replace(b"\x00", b"")
    upper = data.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


def _read_docx(path: Path, data: bytes) -> str:
    _check_zip(path, data)
    try:
        document = Document(io.BytesIO(data))
        paragraphs = [p.text.strip() for p in document.paragraphs]
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise InputError(path, f"not a valid .docx ({type(exc).__name__})") from exc
    return "\n\n".join(p for p in paragraphs if p)


def _captions_to_text(captions: Iterable[tuple[str | None, str]]) -> str:
    """Merge consecutive captions of one speaker into ``Speaker: words`` paragraphs."""
    turns: list[tuple[str | None, list[str]]] = []
    for voice, raw in captions:
        line = " ".join(raw.split())
        if not line:
            continue
        speaker = voice
        if speaker is None and (label := SPEAKER_LABEL.match(line)):
            speaker, line = label["speaker"].strip(), line[label.end() :]
        if turns and (speaker is None or speaker == turns[-1][0]):
            turns[-1][1].append(line)
        else:
            turns.append((speaker, [line]))
    return "\n\n".join(
        (f"{speaker}: " if speaker else "") + " ".join(words) for speaker, words in turns
    )


def _read_captions(fmt: str) -> Callable[[Path, bytes], str]:
    def read(path: Path, data: bytes) -> str:
        text = decode_text(data, path).replace("\r\n", "\n").replace("\r", "\n")
        try:
            captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
        except (MalformedFileError, MalformedCaptionError, ValueError, IndexError) as exc:
            raise InputError(
                path, f"not a valid .{fmt} file ({exc or type(exc).__name__})"
            ) from exc
        body = _captions_to_text((c.voice, strip_tags(c.text)) for c in captions.captions)
        if not body:
            raise InputError(path, f"holds no captions: not a valid .{fmt} file")
        return body

    return read


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def strip_tags(text: str) -> str:
    return _TAG.sub("", text)


_READERS: dict[str, Callable[[Path, bytes], str]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".docx": _read_docx,
    ".vtt": _read_captions("vtt"),
    ".srt": _read_captions("srt"),
}
