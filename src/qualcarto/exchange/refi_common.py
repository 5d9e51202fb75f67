# SPDX-License-Identifier: MIT
"""What REFI-QDA reading and writing share: namespaces, stable GUIDs, and safe parsing.

Files from other tools are untrusted: XML is parsed with entities, DTDs and the
network off, and an archive is read member by member in memory (never extracted),
within limits on member count, sizes and compression ratio, with paths that may not
escape the archive. Any breach is an ``InputError`` naming the file.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from lxml import etree

from qualcarto.errors import InputError
from qualcarto.transcripts.decode import BROKEN_ZIP

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# A fixed namespace for qualcarto's uuid5 GUIDs: the same study exports the same GUIDs.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://qualcarto.invalid/refi-qda")

MAX_XML_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # small members may compress well; only big ones are judged

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


def stable_guid(*parts: str) -> str:
    """A GUID that depends only on what it names (uuid5), so re-exports are identical."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def guid_key(value: str | None) -> str:
    """A GUID as a comparable key: no braces, lower case (tools differ in both)."""
    if not value:
        return ""
    match = _GUID.match(value.strip())
    return (match.group(1) if match else value.strip()).lower()


def xml_datetime(moment: datetime | None) -> str | None:
    """``xsd:dateTime`` in UTC with a ``Z``, to the second (naive times are UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str | None) -> datetime | None:
    """An ``xsd:dateTime`` as an aware datetime, or None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def safe_parser() -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and touches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, source: str | Path) -> etree._Element:
    """Parse untrusted XML bytes; a DTD (the door to entity attacks) is refused outright."""
    if len(data) > MAX_XML_BYTES:
        raise InputError(source, f"XML too large ({len(data) / 1e6:.0f} MB)")
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if not head.startswith(b"<"):
        raise InputError(source, "not an XML file")
    # UTF-16/32 put NUL bytes between the letters of '<!DOCTYPE'; look past them.
    probe = (data.replace(b"\x00", b"") if b"\x00" in data[:64] else data).upper()
    if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
        raise InputError(source, "refused: the XML declares a DTD or entities")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        problem = " ".join(str(exc.msg).split())  # libxml2 messages can hold newlines
        raise InputError(source, f"not well-formed XML ({problem})") from exc
    if root is None:
        raise InputError(source, "not an XML file")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError(source, "refused: the XML declares a DTD or entities")
    return root


def local(tag: object) -> str:
    """An element's name without its namespace (tools disagree on namespaces)."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace_of(element: etree._Element) -> str:
    return etree.QName(element).namespace or ""


class SafeArchive:
    """A zip read in memory within limits; members are looked up case-insensitively."""

    def __init__(self, data: bytes, source: str | Path) -> None:
        self.source = source
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except BROKEN_ZIP as exc:
            raise InputError(source, "not a .qdpx archive (not a zip file)") from exc
        members = self.zip.infolist()
        if len(members) > MAX_MEMBERS:
            raise InputError(source, f"refused: {len(members)} archive members")
        total = sum(m.file_size for m in members)
        if total > MAX_TOTAL_BYTES:
            raise InputError(source, f"refused: unpacks to {total / 1e6:.0f} MB (zip bomb?)")
        self.names: dict[str, zipfile.ZipInfo] = {}
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", member.filename):
                raise InputError(source, f"refused: member '{member.filename}' escapes the archive")
            if member.file_size > MAX_MEMBER_BYTES:
                raise InputError(source, f"refused: {member.filename} unpacks too large")
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
                member.compress_size, 1
            ):
                raise InputError(
                    source,
                    f"refused: {member.filename} is compressed suspiciously well (zip bomb?)",
                )
            self.names[str(path).lower()] = member

    def find(self, name: str) -> zipfile.ZipInfo | None:
        return self.names.get(str(PurePosixPath(name.replace("\\", "/"))).lower())

    def read(self, member: zipfile.ZipInfo) -> bytes:
        """A member's bytes, never more than its declared size allows (headers can lie)."""
        limit = min(member.file_size, MAX_MEMBER_BYTES)
        try:
            with self.zip.open(member) as stream:
                data = stream.read(limit + 1)
        except BROKEN_ZIP as exc:
            raise InputError(self.source, f"cannot read {member.filename} ({exc})") from exc
        if len(data) > limit:
            raise InputError(self.source, f"refused: {member.filename} is larger than declared")
        return data
