# SPDX-License-Identifier: MIT
"""The codebook as a document: one content, three writers (docx, html, md), the typical excerpt.

The study is conftest's tiny one (codes themes > access, docs, money; transcript P1 with
non-ASCII names; coders ana and ben), plus a second version published by a lead.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from conftest import TINY_CODEBOOK
from qualcarto.cli import main
from qualcarto.codebook import parse_codebook, publish
from qualcarto.coding import add_coding
from qualcarto.exchange.codebook_doc import gather_codebook_document, render_codebook_document
from qualcarto.exchange.codebook_text import md_escape, to_html, to_markdown
from qualcarto.reports.codebook_document import typical_excerpts
from qualcarto.transcripts import get_transcript
from qualcarto.users import add_user

HOSTILE = "<script>alert(1)</script> **not bold** [x](javascript:alert(1)) & <b>"


def _codings(rows: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "coding_id": n,
                "code_id": code,
                "transcript": doc,
                "coder": coder,
                "start": start,
                "end": end,
                "text": "x" * (end - start),
            }
            for n, (code, doc, coder, start, end) in enumerate(rows, start=1)
        ]
    )


def test_the_typical_excerpt_is_the_most_agreed_then_the_median_sized() -> None:
    # a: ana 0-10 and ben 5-25 overlap (2 coders each); ana 100-130 stands alone (1).
    # Median length of 10, 20, 30 is 20: of the two agreed, ben's 20-character span.
    frame = _codings(
        [
            ("a", "I1", "ana", 0, 10),
            ("a", "I1", "ben", 5, 25),
            ("a", "I1", "ana", 100, 130),
            # b: nobody agrees; median of 4, 8 and 40 is 8 -> the 8-character one.
            ("b", "I2", "ana", 0, 4),
            ("b", "I2", "ana", 10, 18),
            ("b", "I1", "ben", 50, 90),
            # c: two equal candidates: the first transcript by name wins, then the start.
            ("c", "I9", "ana", 0, 5),
            ("c", "I10", "ana", 7, 12),
        ]
    )
    chosen = typical_excerpts(frame)
    assert (chosen["a"].start, chosen["a"].end, chosen["a"].coders) == (5, 25, 2)
    assert (chosen["b"].transcript, chosen["b"].start, chosen["b"].coders) == ("I2", 10, 1)
    assert (chosen["c"].transcript, chosen["c"].start) == ("I10", 7)


def test_two_codings_of_one_coder_count_once() -> None:
    frame = _codings([("a", "I1", "ana", 0, 10), ("a", "I1", "ana", 5, 15)])
    assert typical_excerpts(frame)["a"].coders == 1


span = st.tuples(
    st.sampled_from(["a", "b"]),
    st.sampled_from(["I1", "I2"]),
    st.sampled_from(["ana", "ben", "cy"]),
    st.integers(0, 40),
    st.integers(1, 15),
)


@given(st.lists(span, min_size=1, max_size=25))
@settings(max_examples=60, deadline=None)
def test_the_chosen_excerpt_follows_the_rule_checked_coding_by_coding(
    rows: list[tuple[str, str, str, int, int]],
) -> None:
    frame = _codings([(c, t, who, start, start + size) for c, t, who, start, size in rows])
    chosen = typical_excerpts(frame)
    for code_id, group in frame.groupby("code_id"):
        ranks = [_rank(group, row) for _, row in group.iterrows()]
        best = group.iloc[ranks.index(min(ranks))]
        got = chosen[str(code_id)]
        assert (got.transcript, got.start, got.end) == (
            best["transcript"],
            best["start"],
            best["end"],
        )


def _rank(group: pd.DataFrame, row: pd.Series) -> tuple[int, float, str, int, int]:
    """The rule for one coding, by brute force: (-agreement, distance, transcript, start, id)."""
    median = float((group["end"] - group["start"]).median())
    same = group[
        (group["transcript"] == row["transcript"])
        & (group["start"] < row["end"])
        & (group["end"] > row["start"])
    ]
    distance = abs(float(row["end"] - row["start"]) - median)
    return (-same["coder"].nunique(), distance, row["transcript"], row["start"], row["coding_id"])


@pytest.fixture
def versioned(session: Session) -> Session:
    """Version 2 by lead Lea: access renamed and given hostile text, a new code 'cost'."""
    add_user(session, "lea", "lead", "lea-password")
    second = TINY_CODEBOOK.replace("name: Access to compute", "name: Compute access").replace(
        "definition: Getting hardware to train on.",
        f"definition: Getting hardware.\n    include: {HOSTILE!r}\n    example: '1. first'",
    ) + ("  - id: cost\n    name: Cost\n    parent: money\n    definition: Price of time.\n")
    publish(session, parse_codebook(second, "v2.yaml"), "rename & add cost", author="lea")
    centre = get_transcript(session, "P1").text.index("We asked")
    add_coding(session, "P1", centre, centre + 20, "access", "ana")
    add_coding(session, "P1", centre + 5, centre + 30, "access", "ben")
    add_coding(session, "P1", 0, 12, "access", "ana")
    add_coding(session, "P1", centre, centre + 9, "docs", "ben")
    return session


def test_the_document_holds_hierarchy_counts_excerpt_and_change_log(versioned: Session) -> None:
    doc = gather_codebook_document(versioned)
    codes = {c.code_id: c for c in doc.codes}
    assert [(c.code_id, c.depth) for c in doc.codes] == [
        ("themes", 0),
        ("access", 1),
        ("docs", 1),
        ("money", 1),
        ("cost", 2),
    ]
    assert codes["cost"].path == ("Themes", "Funding", "Cost")
    assert (codes["access"].codings, codes["access"].transcripts) == (3, 1)
    assert (codes["money"].codings, codes["money"].typical) == (0, None)
    # lengths 20, 25, 12 (median 20): ana's and ben's overlap (2 coders), ana's is 20 long
    text = get_transcript(versioned, "P1").text
    start = text.index("We asked")
    typical = codes["access"].typical
    assert typical is not None
    assert (typical.start, typical.end, typical.coders) == (start, start + 20, 2)
    assert typical.text == text[start : start + 20]
    assert [(v.number, v.author, v.message) for v in doc.history] == [
        (1, "", "first version"),
        (2, "lea", "rename & add cost"),
    ]
    assert "+ added      cost" in doc.history[1].changes
    assert "~ renamed    access: 'Access to compute' -> 'Compute access'" in doc.history[1].changes
    first = gather_codebook_document(versioned, 1)
    assert [v.number for v in first.history] == [1]
    assert "cost" not in {c.code_id for c in first.codes}


def test_a_blind_coder_counts_only_their_own_codings(versioned: Session) -> None:
    doc = gather_codebook_document(versioned, viewer="ben")
    assert {c.code_id: c.codings for c in doc.codes}["access"] == 1


def test_the_docx_opens_with_python_docx_and_reads_as_the_codebook(versioned: Session) -> None:
    data = render_codebook_document(gather_codebook_document(versioned), "docx")
    word = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert ("Heading 1", "Codes") in headings
    assert ("Heading 1", "Change log") in headings
    assert any(
        style == "Heading 3" and text.startswith("Compute access") for style, text in headings
    )
    assert any(style == "Heading 4" and text.startswith("Cost") for style, text in headings)
    paragraphs = [p.text for p in word.paragraphs]
    assert f"Include: {HOSTILE}" in paragraphs
    quotes = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    text = get_transcript(versioned, "P1").text
    start = text.index("We asked")
    assert text[start : start + 20] in quotes
    log = word.tables[0]
    assert [c.text for c in log.rows[0].cells] == [
        "Version",
        "Published",
        "By",
        "Why",
        "What changed",
    ]
    assert [c.text for c in log.rows[2].cells][2:4] == ["lea", "rename & add cost"]


def test_the_html_escapes_everything_the_team_wrote(versioned: Session) -> None:
    page = to_html(gather_codebook_document(versioned))
    assert "<script" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script") and not tree.xpath("//a")
    assert HOSTILE in [dd.text_content() for dd in tree.iter("dd")]
    assert tree.xpath("//section[@id='code-cost']//h5")[0].text_content().startswith("Cost")


def test_markdown_shows_user_text_as_written() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    text = f"{HOSTILE}\n- not a list\n1. not ordered\n# not a heading\n=== `code`"
    rendered = markdown_it.MarkdownIt("commonmark").render(md_escape(text))
    assert rendered.count("<") == rendered.count("<p>") + rendered.count("</p>")
    assert "&lt;script&gt;" in rendered and "**not bold**" in rendered


def test_the_markdown_document_escapes_and_lists_the_log(versioned: Session) -> None:
    text = to_markdown(gather_codebook_document(versioned))
    assert "\\<script\\>" in text and "<script" not in text.replace("\\<script", "")
    assert "| 2 |" in text and "rename \\& add cost" in text
    assert "#### Cost · `cost`" in text


@pytest.mark.parametrize("fmt", ["docx", "html", "md"])
def test_the_cli_writes_each_format(
    versioned: Session, study: Engine, tmp_path: Path, fmt: str
) -> None:
    versioned.commit()
    target = tmp_path / f"codebook.{fmt}"
    assert (
        main(["--db", str(study.url), "codebook", "export", "--format", fmt, "-o", str(target)])
        == 0
    )
    assert target.stat().st_size > 500


def test_a_docx_needs_a_file(study: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(study.url), "codebook", "export", "--format", "docx"]) == 2
    assert "-o FILE" in capsys.readouterr().err


@pytest.mark.browser
def test_chromium_shows_the_html_document_as_written_and_runs_nothing(
    versioned: Session, browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "codebook.html"
    path.write_bytes(render_codebook_document(gather_codebook_document(versioned), "html"))
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    assert page.locator("#code-access dd").nth(1).inner_text() == HOSTILE
    assert page.locator("h2").all_inner_texts() == ["Facets", "Codes", "Change log"]
    assert page.locator("table tr").count() == 3  # header, versions 1 and 2
    assert page.evaluate("document.scripts.length") == 0
    assert dialogs == []
    page.close()
