# SPDX-License-Identifier: MIT
"""Build the hostile-input corpus in this folder, byte for byte the same on every run.

Run ``python tests/hostile/make_corpus.py`` to (re)write the files and ``README.md``;
``tests/test_hostile_corpus.py`` rebuilds them in memory and checks that the committed
files match, then feeds each through the real CLI. Every case says which importer it
goes to, what it attacks and what must happen: refused with one line naming the file
(``refuse``), or imported with its excerpts at exact offsets (``excerpts``).

Zip archives get a fixed timestamp and fixed compression settings so that their bytes
do not depend on when they were built. The huge inputs (a 200 MB file, a 1 MB line) are
not here: the test makes them in a temporary folder.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in the bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
USER = "11111111-1111-1111-1111-111111111111"
CODE = "22222222-2222-2222-2222-222222222222"
SOURCE = "33333333-3333-3333-3333-333333333333"


@dataclass(frozen=True)
class Case:
    """One corpus file: what it is, which importer reads it, and what must happen."""

    name: str
    data: bytes
    importer: str  # transcript | participants | codebook | refi
    attack: str
    refuse: str = ""  # a phrase the one-line error must contain
    excerpts: tuple[str, ...] = field(default=())  # odd but valid: these must be found intact

    @property
    def outcome(self) -> str:
        if self.refuse:
            return f"refused: `{self.refuse}`"
        return "imports; excerpts at exact offsets: " + ", ".join(f"`{e}`" for e in self.excerpts)


def zipped(members: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` with fixed dates and settings (deterministic bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9 if method else None)
    return buffer.getvalue()


def patch_headers(data: bytes, *, flags: int = 0, method: int | None = None) -> bytes:
    """Set general-purpose flag bits or the method in every local and central header."""
    out = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            (old,) = struct.unpack_from("<H", out, at + flag_at)
            struct.pack_into("<H", out, at + flag_at, old | flags)
            if method is not None:
                struct.pack_into("<H", out, at + flag_at + 2, method)
            start = at + 4
    return bytes(out)


def lie_about_size(data: bytes, size: int) -> bytes:
    """Make the central directory claim every member unpacks to ``size`` bytes."""
    out = bytearray(data)
    start = 0
    while (at := out.find(b"PK\x01\x02", start)) >= 0:
        struct.pack_into("<I", out, at + 24, size)
        start = at + 4
    return bytes(out)


# ---- docx ---------------------------------------------------------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def document_xml(paragraphs: list[str], *, prolog: str = "", namespace: str = W_NS) -> bytes:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>'
    ).encode()


def docx(document: bytes, *extra: tuple[str, bytes]) -> bytes:
    return zipped(
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", document),
            *extra,
        ]
    )


FINE_DOCX = docx(document_xml(["Interviewer: How did it start?", "P9: With a shared notebook."]))

LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
FILE_DTD = '<!DOCTYPE doc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
HTTP_DTD = '<!DOCTYPE doc [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>'
# A DTD behind a long comment, past where a quick look at the first bytes would stop.
PADDED_DTD = "<!--" + "pad " * 2000 + "-->" + FILE_DTD

# ---- REFI-QDA -----------------------------------------------------------------------

QDPX_TEXT = "P1: We shared the docs with everyone."


def project_xml(
    *,
    start: str = "4",
    end: str = "6",
    namespace: str = PROJECT_NS,
    prolog: str = "",
    name: str = "Q1",
    path: str = f"internal://{SOURCE}.txt",
    code_name: str = "sharing",
    extra: str = "",
) -> bytes:
    """A small project whose one selection is ``start``-``end`` of its one source."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}'
        f'<Project xmlns="{namespace}" name="hostile">'
        f'<Users><User guid="{USER}" name="eve"/></Users>'
        f'<CodeBook><Codes><Code guid="{CODE}" name="{code_name}" isCodable="true"/>'
        f"{extra}</Codes></CodeBook>"
        f'<Sources><TextSource guid="{SOURCE}" name="{name}" plainTextPath="{path}">'
        f'<PlainTextSelection guid="44444444-4444-4444-4444-444444444444" '
        f'startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="55555555-5555-5555-5555-555555555555" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection></TextSource></Sources>'
        "</Project>"
    ).encode()


def qdpx(project: bytes, text: bytes = QDPX_TEXT.encode(), *extra: tuple[str, bytes]) -> bytes:
    return zipped([("project.qde", project), (f"sources/{SOURCE}.txt", text), *extra])


def codebook_xml(*, prolog: str = "", namespace: str = CODEBOOK_NS, name: str = "sharing") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<CodeBook xmlns="{namespace}">'
        f'<Codes><Code guid="{CODE}" name="{name}" isCodable="true"/></Codes></CodeBook>'
    ).encode()


def nested_codes(depth: int) -> str:
    opening = "".join(
        f'<Code guid="{i:08d}-0000-0000-0000-000000000000" name="c{i}">' for i in range(depth)
    )
    return opening + "</Code>" * depth


# ---- odd but valid text -------------------------------------------------------------

RTL = "P3: \u05d4\u05e7\u05d5\u05d3 \u05e9\u05dc\u05e0\u05d5 and \u0627\u0644\u0628\u064a\u0627\u0646\u0627\u062a \u0645\u0641\u062a\u0648\u062d\u0629 stayed open."
EMOJI = "P4: The GPUs \U0001f525\U0001f525 ran hot \U0001f469\U0001f3fd\u200d\U0001f4bb and the flag \U0001f1f3\U0001f1f4 stayed up."
# "Zoë" and "café" written with combining marks: stored as NFC, offsets count NFC characters.
COMBINING = "P5: Zoe\u0308 met the cafe\u0301 owner; the a\u030a and n\u0303 survive too."


def _seeded_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def cases() -> list[Case]:
    """Every corpus file, in README order."""
    bomb_docx = docx(b"\0" * (64 * 1024 * 1024))
    bomb_qdpx = qdpx(
        project_xml(), QDPX_TEXT.encode(), ("sources/zeros.txt", b"\0" * (64 * 1024 * 1024))
    )
    small_bomb = docx(b"\0" * (8 * 1024 * 1024))
    small_bomb_qdpx = qdpx(project_xml(), b"P1: " + b"a" * (8 * 1024 * 1024))
    big_line = "x" * 140_000
    # fmt: off
    return [
        # -- plain text and markdown
        Case("nul-bytes.txt", b"P1: hello\x00\x00world\n", "transcript", "NUL bytes in text", refuse="contains NUL bytes",),
        Case("binary-png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _seeded_bytes(1, 64), "transcript", "a binary file named .txt", refuse="contains NUL bytes",),
        Case("invalid-utf8.txt", "P1: caf\u00e9 cr\u00e8me".encode("latin-1"), "transcript", "Latin-1 bytes, invalid UTF-8", refuse="not valid UTF-8 (byte 0xe9",),
        Case("overlong-utf8.txt", b"P1: slash \xc0\xaf here\n", "transcript", "overlong UTF-8 encoding of '/'", refuse="not valid UTF-8 (byte 0xc0",),
        Case("surrogate-utf8.txt", b"P1: half \xed\xa0\x80 a pair\n", "transcript", "an encoded UTF-16 surrogate", refuse="not valid UTF-8 (byte 0xed",),
        Case("utf16-no-bom.txt", "P1: hello there\n".encode("utf-16-le"), "transcript", "UTF-16 without a byte-order mark", refuse="UTF-16 without a BOM",),
        Case("utf16-odd-length.txt", b"\xff\xfe" + "P1: hi".encode("utf-16-le") + b"P", "transcript", "UTF-16 cut in the middle of a character", refuse="not valid UTF-16",),
        Case("ansi-escape.txt", b"P1: red \x1b[31mtext\x1b[0m here\n", "transcript", "terminal escape sequences (control characters)", refuse="control character U+001B on line 1",),
        Case("delete-char.md", b"# Notes\n\nP1: one\x7f two\n", "transcript", "DEL control character", refuse="control character U+007F on line 3",),
        Case("form-feed.md", b"P1: page one\n\x0cP2: page two\n", "transcript", "form feed (control character)", refuse="control character U+000C on line 2",),
        Case("empty.md", b"", "transcript", "an empty file", refuse="is empty"),
        Case("whitespace.txt", b" \r\n\t\r \n", "transcript", "only whitespace and mixed newlines", refuse="is empty",),
        Case("mixed-newlines.txt", b"Interviewer: First line.\r\nP6: Second line.\rP6 again: third.\nP6: End of \xe2\x80\x9cit\xe2\x80\x9d.\r\n", "transcript", "CRLF, CR and LF in one file (valid)", excerpts=("Second line.", "third.", "End of \u201cit\u201d."),),
        Case("rtl.txt", RTL.encode(), "transcript", "right-to-left Hebrew and Arabic (valid)", excerpts=("\u05d4\u05e7\u05d5\u05d3 \u05e9\u05dc\u05e0\u05d5", "\u0627\u0644\u0628\u064a\u0627\u0646\u0627\u062a \u0645\u0641\u062a\u0648\u062d\u0629", "stayed open.",)),
        Case("emoji.md", EMOJI.encode(), "transcript", "emoji beyond the BMP, ZWJ sequences, flags (valid)", excerpts=("\U0001f525\U0001f525", "\U0001f469\U0001f3fd\u200d\U0001f4bb", "stayed up."),),
        Case("combining.txt", b"\xef\xbb\xbf" + COMBINING.encode(), "transcript", "combining marks and a UTF-8 BOM (valid, stored as NFC)", excerpts=("Zo\u00eb", "caf\u00e9 owner", "\u00e5 and \u00f1 survive"),),
        Case("utf16-bom.txt", "P7: Grüße aus Köln \U0001f44b.\n".encode("utf-16"), "transcript", "UTF-16 with a byte-order mark (valid)", excerpts=("Grüße aus Köln \U0001f44b.",),),
        # -- docx
        Case("zip-bomb.docx", bomb_docx, "transcript", f"zip bomb: 64 MiB of zeros in {len(bomb_docx) // 1024} KiB", refuse="zip bomb",),
        Case("lying-size.docx", lie_about_size(small_bomb, 2_000), "transcript", "central directory understates the unpacked size", refuse="not a valid .docx",),
        Case("billion-laughs.docx", docx(document_xml(["&lol9;"], prolog=LAUGHS_DTD)), "transcript", "billion laughs (nested entities)", refuse="DTD",),
        Case("xxe-file.docx", docx(document_xml(["&xxe;"], prolog=FILE_DTD)), "transcript", "external entity file:///etc/passwd", refuse="DTD",),
        Case("xxe-http.docx", docx(document_xml(["&xxe;"], prolog=HTTP_DTD)), "transcript", "external entity over http", refuse="DTD",),
        Case("xxe-padded.docx", docx(document_xml(["&xxe;"], prolog=PADDED_DTD)), "transcript", "external entity behind 8 KB of comment", refuse="DTD",),
        Case("xxe-styles.docx", docx(document_xml(["P9: fine"]), ("word/styles.xml", document_xml([], prolog=FILE_DTD))), "transcript", "external entity in another part (styles.xml)", refuse="DTD"),
        Case("zip-slip.docx", docx(document_xml(["P9: fine"]), ("../../evil.sh", b"echo pwned\n")), "transcript", "member path escaping the folder", refuse="escapes the archive",),
        Case("truncated.docx", FINE_DOCX[: len(FINE_DOCX) // 2], "transcript", "archive cut in half", refuse="not a zip archive",),
        Case("random.docx", _seeded_bytes(2, 4096), "transcript", "random bytes named .docx", refuse="not a zip archive",),
        Case("malformed-xml.docx", docx(b'<w:document xmlns:w="' + W_NS.encode() + b'"><w:body><w:p>'), "transcript", "document.xml not well-formed", refuse="not a valid .docx",),
        Case("wrong-namespace.docx", docx(document_xml(["P9: text"], namespace="urn:example:not-word")), "transcript", "document.xml in a foreign namespace", refuse="not a valid .docx",),
        Case("encrypted.docx", patch_headers(FINE_DOCX, flags=1), "transcript", "members flagged as encrypted", refuse="not a valid .docx",),
        Case("odd.docx", docx(document_xml([RTL, EMOJI, COMBINING])), "transcript", "RTL, emoji and combining marks in Word (valid)", excerpts=("\u05d4\u05e7\u05d5\u05d3 \u05e9\u05dc\u05e0\u05d5", "\U0001f469\U0001f3fd\u200d\U0001f4bb", "caf\u00e9 owner",)),
        # -- captions
        Case("malformed.vtt", b"WEBVTT\n\nnot a timestamp --> at all\nhello\n", "transcript", "a broken cue timing line", refuse="not a valid .vtt file",),
        Case("no-header.vtt", b"00:00.000 --> 00:01.000\nP1: hello\n", "transcript", "no WEBVTT header", refuse="not a valid .vtt file",),
        Case("no-cues.vtt", b"WEBVTT\n\n-->\n-->\n", "transcript", "arrows without cues", refuse="holds no captions",),
        Case("nul.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nP1: a\x00b\n", "transcript", "NUL bytes in captions", refuse="contains NUL bytes",),
        Case("odd.vtt", ("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Interviewer>And then?\n\n00:02.000 --> 00:05.000\n<v P8>" + EMOJI[4:] + "\r\n\r\n00:05.000 --> 00:07.000\n<v P8>" + RTL[4:] + "\n" ).encode(), "transcript", "voice tags, emoji, RTL, CRLF (valid)", excerpts=("P8: The GPUs", "\U0001f1f3\U0001f1f4 stayed up.", "\u0627\u0644\u0628\u064a\u0627\u0646\u0627\u062a",)),
        Case("malformed.srt", b"1\n00:00:01,000 -> 00:00:02\nhello\n", "transcript", "a broken timing arrow", refuse="not a valid .srt file",),
        Case("invalid-utf8.srt", b"1\n00:00:01,000 --> 00:00:02,000\nP1: \xff\xfe caf\xe9\n", "transcript", "invalid UTF-8 in captions", refuse="not valid UTF-8",),
        Case("timings-only.srt", b"1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n\n", "transcript", "cues without text", refuse="holds no captions",),
        Case("odd.srt", ("1\r\n00:00:01,000 --> 00:00:02,000\r\nP9: " + COMBINING[4:] + "\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\nP9: <i>still</i> \U0001f600\r\n" ).encode(), "transcript", "CRLF, combining marks, emoji, tags (valid)", excerpts=("Zo\u00eb met", "still \U0001f600"),),
        # -- participants csv
        Case("no-id.csv", b"name,organization\nP1,Lab\n", "participants", "no id column", refuse="has no 'id' column",),
        Case("ragged.csv", b"id,organization\nP1,Lab,extra,more\n", "participants", "a row longer than the header", refuse="line 2: 4 fields",),
        Case("invalid-utf8.csv", b"id,organization\nP1,Universit\xe9\n", "participants", "Latin-1 bytes", refuse="not valid UTF-8",),
        Case("nul.csv", b"id,organization\nP1,La\x00b\n", "participants", "NUL bytes", refuse="contains NUL bytes",),
        Case("huge-field.csv", b'id,organization\nP1,"' + big_line.encode() + b'"\n', "participants", "a 140 KB field (past csv's field limit)", refuse="not a valid csv",),
        Case("open-quote.csv", b'id,organization\nP1,"never closed\n', "participants", "a quote that never closes", refuse="not a valid csv",),
        Case("odd.csv", 'id,organization,region,note\r\nP1,\u05d0\u05d5\u05e0\u05d9\u05d1\u05e8\u05e1\u05d9\u05d8\u05d4 \U0001f3eb,Zu\u0308rich,"two\nlines"\r'.encode(), "participants", "RTL, emoji, combining marks, CR and a quoted newline (valid)", excerpts=("\u05d0\u05d5\u05e0\u05d9\u05d1\u05e8\u05e1\u05d9\u05d8\u05d4 \U0001f3eb", "Z\u00fcrich",)),
        # -- codebook yaml
        Case("billion-laughs.yaml", ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8) ) + "codes: []\n" ).encode(), "codebook", "billion laughs with YAML aliases", refuse="anchors/aliases are not allowed",),
        Case("python-object.yaml", b"codes: !!python/object/apply:os.system ['echo pwned']\n", "codebook", "a Python object tag", refuse="not valid YAML",),
        Case("long-number.yaml", ("codes:\n  - id: " + "7" * 5000 + "\n    name: Big\n").encode(), "codebook", "a 5,000-digit integer", refuse="not valid YAML",),
        Case("impossible-date.yaml", b"codes:\n  - id: a\n    name: 2024-02-31\n", "codebook", "a date that does not exist", refuse="not valid YAML",),
        Case("deep-nesting.yaml", b"codes: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "codebook", "20,000 nested lists", refuse="not valid YAML",),
        Case("tabs.yaml", b"codes:\n\t- id: a\n\t  name: A\n", "codebook", "tab indentation", refuse="not valid YAML",),
        Case("invalid-utf8.yaml", b"codes:\n  - id: a\n    name: Caf\xe9\n", "codebook", "Latin-1 bytes", refuse="not valid UTF-8",),
        Case("not-a-codebook.yaml", b"- just\n- a list\n", "codebook", "a list, not a mapping", refuse="a codebook is a mapping",),
        Case("odd.yaml", ("codebook: Odd names\nfacets:\n  stage: [early, late]\n  polarity: [on-ramp, challenge]\ncodes:\n  - id: themes\n    name: Themes\n  - id: rtl\n    name: \u05e7\u05d5\u05d3 \u05e4\u05ea\u05d5\u05d7\n    parent: themes\n  - id: emoji\n    name: GPUs \U0001f525 \U0001f469\U0001f3fd\u200d\U0001f4bb\n    parent: themes\n  - id: marks\n    name: Cafe\u0301 Zoe\u0308\n    parent: themes\n" ).encode(), "codebook", "code names in RTL, emoji, combining marks (valid)", excerpts=("\u05e7\u05d5\u05d3 \u05e4\u05ea\u05d5\u05d7", "GPUs \U0001f525 \U0001f469\U0001f3fd\u200d\U0001f4bb", "Caf\u00e9 Zo\u00eb",)),
        # -- names: one rule (qualcarto.names) for codes, users, transcripts, participants
        Case("nul-name.yaml", b'codes:\n  - id: a\n    name: "a\\0b"\n', "codebook", "a NUL in a code name", refuse="control character U+0000",),
        Case("escape-name.yaml", b'codes:\n  - id: a\n    name: "\\e[31mred\\e[0m"\n', "codebook", "a terminal escape sequence in a code name", refuse="control character U+001B",),
        Case("c1-name.yaml", b'codes:\n  - id: a\n    name: "next\\x85line \\x9b31m"\n', "codebook", "C1 controls (NEL, CSI) in a code name", refuse="control character U+0085",),
        Case("bell-definition.yaml", b'codes:\n  - id: a\n    name: A\n    definition: "ring \\a the bell"\n', "codebook", "a control character in a definition", refuse="definition holds the control character U+0007",),
        Case("newline-id.yaml", b'codes:\n  - id: "dup\\n"\n    name: One\n  - id: dup\n    name: Two\n', "codebook", "a code id 'dup' plus a line break, beside 'dup'", refuse="id must be letters",),
        Case("surrogate-name.yaml", b'codes:\n  - id: a\n    name: "half \\ud800 a pair"\n', "codebook", "a lone surrogate escaped in YAML", refuse="holds a lone surrogate",),
        Case("noncharacter-name.yaml", b'codes:\n  - id: a\n    name: "not \\ufdd0 a char"\n', "codebook", "a Unicode noncharacter in a code name", refuse="noncharacter U+FDD0",),
        Case("bidi-name.yaml", b'codes:\n  - id: a\n    name: "\\u202egnp.exe"\n', "codebook", "a right-to-left override in a code name", refuse="invisible formatting character U+202E",),
        Case("markdown-name.yaml", b"facets:\n  stage: [early, late]\n  polarity: [on-ramp, challenge]\ncodes:\n  - id: a\n    name: '![seen](http://127.0.0.1:9/x.png) **b** <i>c</i>'\n", "codebook", "markdown and HTML in a code name (valid: shown as plain text)", excerpts=("![seen](http://127.0.0.1:9/x.png) **b** <i>c</i>",),),
        Case("c1-name.qdc", codebook_xml(name="next\x85line"), "refi", "a C1 control (allowed by XML) in a code name", refuse="control character U+0085",),
        Case("noncharacter-name.qdpx", qdpx(project_xml(code_name="a\ufdd0b")), "refi", "a noncharacter (allowed by XML) in a code name", refuse="noncharacter U+FDD0",),
        Case("dotdot-source.qdpx", qdpx(project_xml(name="../../x")), "refi", "a source named ../../x (a transcript name becomes a file name)", refuse="holds a path separator",),
        Case("absolute-name-source.qdpx", qdpx(project_xml(name="/etc/cron.d/x")), "refi", "a source named with an absolute path", refuse="holds a path separator",),
        Case("dot-source.qdpx", qdpx(project_xml(name=".bashrc")), "refi", "a source named like a hidden file", refuse="starts with a dot",),
        # -- REFI-QDA project
        Case("zip-bomb.qdpx", bomb_qdpx, "refi", f"zip bomb: 64 MiB of zeros in {len(bomb_qdpx) // 1024} KiB", refuse="zip bomb",),
        Case("lying-size.qdpx", lie_about_size(small_bomb_qdpx, 2_000), "refi", "central directory understates the unpacked size", refuse="cannot read",),
        Case("billion-laughs.qdpx", qdpx(project_xml(prolog=LAUGHS_DTD, code_name="&lol9;")), "refi", "billion laughs in project.qde", refuse="DTD",),
        Case("xxe-file.qdpx", qdpx(project_xml(prolog=FILE_DTD, code_name="&xxe;")), "refi", "external entity file:///etc/passwd", refuse="DTD",),
        Case("xxe-http.qdpx", qdpx(project_xml(prolog=HTTP_DTD, code_name="&xxe;")), "refi", "external entity over http", refuse="DTD",),
        Case("zip-slip.qdpx", qdpx(project_xml(), QDPX_TEXT.encode(), ("../../evil.sh", b"echo pwned\n")), "refi", "member path escaping the folder", refuse="escapes the archive",),
        Case("absolute-source.qdpx", qdpx(project_xml(path="absolute:///etc/passwd")), "refi", "a source read from an absolute path", refuse="lies outside the archive",),
        Case("truncated.qdpx", qdpx(project_xml())[:300], "refi", "archive cut short", refuse="not a zip file",),
        Case("encrypted.qdpx", patch_headers(qdpx(project_xml()), flags=1), "refi", "members flagged as encrypted", refuse="cannot read",),
        Case("unknown-method.qdpx", patch_headers(qdpx(project_xml()), method=98), "refi", "members compressed with an unsupported method (PPMd)", refuse="cannot read",),
        Case("wrong-namespace.qdpx", qdpx(project_xml(namespace="urn:example:other")), "refi", "a root outside the REFI-QDA namespace", refuse="wrong namespace",),
        Case("malformed.qdpx", qdpx(b"<Project><Users></Project>"), "refi", "project.qde not well-formed", refuse="well-formed",),
        Case("deep-nesting.qdpx", qdpx(project_xml(extra=nested_codes(300))), "refi", "codes nested 300 deep", refuse="well-formed",),
        Case("huge-position.qdpx", qdpx(project_xml(start="9" * 5000)), "refi", "a 5,000-digit position", refuse="not a whole number",),
        Case("negative-position.qdpx", qdpx(project_xml(start="-5")), "refi", "a negative position", refuse="outside",),
        Case("nul-source.qdpx", qdpx(project_xml(), b"P1: hidden\x00bytes"), "refi", "a NUL byte in the source text", refuse="control character U+0000",),
        Case("latin1-source.qdpx", qdpx(project_xml(), "P1: caf\u00e9".encode("latin-1")), "refi", "a source text that is not UTF-8", refuse="not valid UTF-8",),
        Case("odd.qdpx", qdpx(project_xml(start="4", end="8", name="odd"), COMBINING[:4].encode() + "Zoe\u0308".encode() + EMOJI[3:].encode()), "refi", "source with a combining mark and emoji; positions in code points (valid)", excerpts=("Zo\u00eb",)),
        # -- REFI-QDA codebook
        Case("billion-laughs.qdc", codebook_xml(prolog=LAUGHS_DTD, name="&lol9;"), "refi", "billion laughs", refuse="DTD",),
        Case("xxe-file.qdc", codebook_xml(prolog=FILE_DTD, name="&xxe;"), "refi", "external entity file:///etc/passwd", refuse="DTD",),
        Case("xxe-http.qdc", codebook_xml(prolog=HTTP_DTD, name="&xxe;"), "refi", "external entity over http", refuse="DTD",),
        Case("xxe-utf16.qdc", codebook_xml(prolog=FILE_DTD, name="&xxe;") .replace(b"utf-8", b"utf-16") .decode() .encode("utf-16-le"), "refi", "external entity in UTF-16 without a BOM", refuse="DTD",),
        Case("wrong-namespace.qdc", codebook_xml(namespace="urn:example:other"), "refi", "a root outside the REFI-QDA namespace", refuse="wrong namespace",),
        Case("wrong-root.qdc", project_xml(), "refi", "a project where a codebook belongs", refuse="expected <CodeBook>",),
        Case("malformed.qdc", b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code>', "refi", "not well-formed XML", refuse="well-formed",),
        Case("binary.qdc", _seeded_bytes(3, 2048), "refi", "random bytes", refuse="not an XML file"),
        Case("odd.qdc", codebook_xml(name="\u05e7\u05d5\u05d3 \U0001f525 Cafe\u0301"), "refi", "a code name in RTL with emoji and a combining mark (valid)", excerpts=("\u05e7\u05d5\u05d3 \U0001f525 Caf\u00e9",),),
    ]
    # fmt: on


def readme(all_cases: list[Case]) -> str:
    rows = "\n".join(f"| `{c.name}` | {c.importer} | {c.attack} | {c.outcome} |" for c in all_cases)
    return f"""# Hostile input corpus

Files that attack or stretch every importer. `make_corpus.py` builds them (run it to
rewrite this folder after changing a case); `tests/test_hostile_corpus.py` checks the
committed bytes equal a fresh build, then imports each file through the real CLI
(`qualcarto import`, or `qualcarto codebook publish` for YAML) against a real store.

A refused file must give exit status 2 and exactly one line on stderr naming the file and
the problem (the phrase below), no traceback, within 10 s and 600 MB of memory growth, and
leave every table of the store as it was. A valid file must import, and each excerpt
listed must be found at offsets where `text[start:end]` is exactly that excerpt.

Not committed (the tests make them in a temporary folder): a 200 MB sparse `.txt` file
(refused as too large before it is read) and a 1 MB transcript on a single line (imports);
in `tests/test_hostile_names.py`, a transcript file whose name is not valid UTF-8, a user
name given as invalid UTF-8 or with an escape sequence on the command line, a password on
stdin that is not UTF-8 (each refused in one line, store unchanged), and a 100,000-code
and a 2,000-level codebook (publish; REFI-QDA export of the 2,000 levels refused in one
line naming the 250-level limit).
Zip bytes depend on zlib; the corpus was built with CPython's `zipfile` and the system zlib.

| file | importer | what it attacks | expected outcome |
| --- | --- | --- | --- |
{rows}
"""


def build() -> dict[str, bytes]:
    """File name -> bytes of the whole corpus, README included."""
    all_cases = cases()
    files = {c.name: c.data for c in all_cases}
    if len(files) != len(all_cases):
        raise SystemExit("two cases share a file name")
    files["README.md"] = readme(all_cases).encode()
    return files


def main() -> int:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(cases())} corpus files and README.md to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
