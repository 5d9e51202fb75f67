# SPDX-License-Identifier: MIT
"""The codebook document as HTML (one self-contained page) and as Markdown.

Every piece of text the team wrote (names, definitions, excerpts, messages) is escaped:
HTML by ``html.escape``, Markdown by backslashes before every character that could start
markup, so a definition holding ``<script>`` or ``**`` reads as written and does nothing.
"""

from __future__ import annotations

import html
import re

from qualcarto.reports.codebook_document import CodebookDocument, CodeEntry

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 48rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
h1, h2, h3, h4, h5, h6 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
h3 { font-size: 1.25rem; } h4 { font-size: 1.12rem; } h5, h6 { font-size: 1rem; }
h3 .meta, h4 .meta, h5 .meta, h6 .meta { font-size: 0.8rem; font-weight: normal; }
.meta, .count { color: #555; font-size: 0.9rem; }
.code { border-left: 3px solid #ccc; padding-left: 0.8rem; margin: 1.2rem 0; }
.retired { opacity: 0.65; }
dt { font-weight: bold; margin-top: 0.4rem; }
dd { margin-left: 1rem; white-space: pre-wrap; }
blockquote { margin: 0.4rem 0 0.4rem 1rem; padding-left: 0.8rem; border-left: 3px solid #999;
             white-space: pre-wrap; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td pre { margin: 0; white-space: pre-wrap; font-family: inherit; }
"""
FIELDS = (
    ("definition", "Definition"),
    ("include", "Include"),
    ("exclude", "Exclude"),
    ("example", "Example"),
)


def status_note(code: CodeEntry) -> str:
    """'retired' or 'merged into X' for a code no longer applied; '' for an active one."""
    if code.merged_into:
        return f"merged into {code.merged_into}"
    return "" if code.status == "active" else code.status


def count_line(code: CodeEntry) -> str:
    """The line under a code's heading: where it sits (below the root) and its counts."""
    codings = f"{code.codings} coding" + ("" if code.codings == 1 else "s")
    places = f"{code.transcripts} transcript" + ("" if code.transcripts == 1 else "s")
    under = f"under {' › '.join(code.path[:-1])} · " if len(code.path) > 1 else ""
    return f"{under}{codings} in {places}"


def excerpt_line(code: CodeEntry) -> str:
    """Where the typical excerpt comes from and how many coders agree on it."""
    assert code.typical is not None
    t = code.typical
    who = f"{t.coders} coder" + ("" if t.coders == 1 else "s")
    return f"{t.transcript}, characters {t.start}-{t.end}, coded by {who}"


def to_html(doc: CodebookDocument) -> str:
    """The document as one HTML page with its own stylesheet and no scripts."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f"<html lang='en'><head><meta charset='utf-8'><title>{e(doc.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
        f"<p class='meta'>{e(_stamp(doc))}</p>",
    ]
    if doc.source:
        out.append(f"<p class='meta'>Source: {e(doc.source)}</p>")
    if doc.facets:
        out.append("<h2>Facets</h2><ul>")
        out += [f"<li><b>{e(n)}</b>: {e(', '.join(v))}</li>" for n, v in doc.facets]
        out.append("</ul>")
    out.append(f"<h2>Codes</h2><p class='meta'>{e(doc.rule)}</p>")
    for code in doc.codes:
        level = min(code.depth + 3, 6)
        note = status_note(code)
        css = "code retired" if note else "code"
        out.append(f"<section class='{css}' id='code-{e(code.code_id)}'>")
        out.append(
            f"<h{level}>{e(code.name)} <span class='meta'>· {e(code.code_id)}"
            + (f" · {e(note)}" if note else "")
            + f"</span></h{level}>"
        )
        out.append(f"<p class='count'>{e(count_line(code))}</p>")
        if code.facets:
            facets = ", ".join(f"{k}: {v}" for k, v in code.facets)
            out.append(f"<p class='meta'>{e(facets)}</p>")
        fields = [(label, getattr(code, name)) for name, label in FIELDS]
        if code.keywords:
            fields.append(("Keywords", ", ".join(code.keywords)))
        if any(value for _, value in fields):
            out.append("<dl>")
            out += [f"<dt>{e(lbl)}</dt><dd>{e(val)}</dd>" for lbl, val in fields if val]
            out.append("</dl>")
        if code.typical is not None:
            out.append(f"<p class='meta'>Typical excerpt ({e(excerpt_line(code))}):</p>")
            out.append(f"<blockquote>{e(code.typical.text)}</blockquote>")
        out.append("</section>")
    out.append("<h2>Change log</h2><table><thead><tr>")
    out += [f"<th>{h}</th>" for h in ("Version", "Published", "By", "Why", "What changed")]
    out.append("</tr></thead><tbody>")
    for v in doc.history:
        cells = (str(v.number), v.published, v.author, v.message)
        out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells))
        out.append(f"<td><pre>{e(chr(10).join(v.changes))}</pre></td></tr>")
    out.append("</tbody></table></body></html>")
    return "\n".join(out) + "\n"


def _stamp(doc: CodebookDocument) -> str:
    parts = [f"Version {doc.version}"]
    if doc.published:
        parts.append(f"published {doc.published}")
    if doc.project:
        parts.append(f"study {doc.project}")
    return " · ".join(parts)


_MD_ANYWHERE = re.compile(r"([\\`*_{}\[\]<>()#+!|~&^$])")
_MD_LINE_START = re.compile(r"^(\s*)([-=])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\s*\d+)\.", re.MULTILINE)


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: markup characters get a backslash."""
    escaped = _MD_ANYWHERE.sub(r"\\\1", text)
    escaped = _MD_LINE_START.sub(r"\1\\\2", escaped)
    return _MD_ORDERED.sub(r"\1\\.", escaped)


def _cell(text: str) -> str:
    return md_escape(" ".join(text.split()))


def _md_block(text: str, prefix: str = "") -> str:
    """A multi-line text as Markdown lines, each kept a line (hard break) under ``prefix``."""
    lines = [md_escape(line) for line in text.splitlines() or [""]]
    return "\n".join(f"{prefix}{line}  " if line else prefix.rstrip() for line in lines)


def to_markdown(doc: CodebookDocument) -> str:
    """The document as CommonMark: headings for the hierarchy, a table for the change log."""
    out = [f"# {md_escape(doc.title)}", "", md_escape(_stamp(doc)), ""]
    if doc.source:
        out += [f"Source: {md_escape(doc.source)}", ""]
    if doc.facets:
        out += ["## Facets", ""]
        out += [f"- **{md_escape(n)}**: {md_escape(', '.join(v))}" for n, v in doc.facets]
        out.append("")
    out += ["## Codes", "", md_escape(doc.rule), ""]
    for code in doc.codes:
        note = status_note(code)
        heading = "#" * min(code.depth + 3, 6)
        out.append(
            f"{heading} {md_escape(code.name)} · `{code.code_id}`"
            + (f" · {md_escape(note)}" if note else "")
        )
        out += ["", f"*{md_escape(count_line(code))}*", ""]
        if code.facets:
            out += [md_escape(", ".join(f"{k}: {v}" for k, v in code.facets)), ""]
        for name, label in FIELDS:
            if getattr(code, name):
                out += [f"**{label}:**  ", _md_block(getattr(code, name)), ""]
        if code.keywords:
            out += [f"**Keywords:** {md_escape(', '.join(code.keywords))}", ""]
        if code.typical is not None:
            out += [f"Typical excerpt ({md_escape(excerpt_line(code))}):", ""]
            out += [_md_block(code.typical.text, "> "), ""]
    out += ["## Change log", ""]
    out += ["| Version | Published | By | Why | What changed |", "| --- | --- | --- | --- | --- |"]
    for v in doc.history:
        changes = "<br>".join(_cell(c) for c in v.changes)
        cells = [str(v.number), _cell(v.published), _cell(v.author), _cell(v.message), changes]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
