# SPDX-License-Identifier: MIT
"""Review, reconciliation, assignments, search and codebook pages through AppTest."""

from __future__ import annotations

import pytest

from app_study import app_as, machine_codes, no_errors
from qualcarto.assignments import assign
from qualcarto.codebook import publish
from qualcarto.codebook.versions import get_version, version_codebook
from qualcarto.coding import add_coding, codings_frame
from qualcarto.reconcile import CONSENSUS, units_frame
from qualcarto.review import review_queue
from qualcarto.store import connect, session_scope
from qualcarto.study_settings import is_blind


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    study = app_study
    monkeypatch.setenv("QUALCARTO_DB", study)
    return study


@pytest.fixture
def double_coded(url: str) -> dict[str, int]:
    """ana and ben agree once, differ in boundaries once, and ben has one code alone."""
    engine = connect(url)
    with session_scope(engine) as session:
        ids = {
            "agree_a": add_coding(session, "P1", 0, 11, "access", "ana").id,
            "agree_b": add_coding(session, "P1", 0, 11, "access", "ben").id,
            "wide_a": add_coding(session, "P1", 30, 60, "docs", "ana").id,
            "wide_b": add_coding(session, "P1", 35, 70, "docs", "ben").id,
            "only_b": add_coding(session, "P1", 80, 90, "money", "ben").id,
        }
        assign(session, "P1", "ben", "lena", task="review")
    engine.dispose()
    return ids


def test_a_reviewer_accepts_one_coding_and_rejects_another_with_a_comment(
    url: str, double_coded: dict[str, int]
) -> None:
    at = no_errors(app_as(url, "ben").switch_page("app_pages/review.py").run())
    assert at.selectbox(key="review_coder").value == "ana"
    no_errors(at.button(key=f"review_accept_{double_coded['agree_a']}").click().run())
    at.text_input(key=f"review_note_{double_coded['wide_a']}").input("Starts too early.")
    no_errors(at.button(key=f"review_reject_{double_coded['wide_a']}").click().run())
    engine = connect(url)
    with session_scope(engine) as session:
        queue = review_queue(session, "P1", "ana", "ben")
    engine.dispose()
    assert queue[["decision", "comment"]].values.tolist() == [
        ["accept", ""],
        ["reject", "Starts too early."],
    ]


def test_open_in_transcript_opens_the_coding_after_the_code_page_was_open(url: str) -> None:
    """ben signed in on the Code page (P1); a P2 coding under review still opens P2 at it."""
    engine = connect(url)
    with session_scope(engine) as session:
        coding = add_coding(session, "P2", 9, 30, "access", "ana").id
        assign(session, "P2", "ben", "lena", task="review")
    engine.dispose()
    at = no_errors(app_as(url, "ben"))
    assert at.selectbox(key="code_transcript").value == "P1"
    no_errors(at.switch_page("app_pages/review.py").run())
    no_errors(at.selectbox(key="review_transcript").select("P2").run())
    no_errors(at.button(key=f"review_open_{coding}").click().run())
    assert at.selectbox(key="code_transcript").value == "P2"
    assert at.session_state["qc_jump"][:2] == ("P2", 9)


def test_a_coder_without_review_assignments_has_nothing_to_review(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/review.py").run())
    assert "No transcripts to review" in at.info[0].value


def test_the_lead_reconciles_disagreements_into_the_consensus(
    url: str, double_coded: dict[str, int]
) -> None:
    at = no_errors(app_as(url, "lena").switch_page("app_pages/reconcile.py").run())
    assert (at.selectbox(key="rec_a").value, at.selectbox(key="rec_b").value) == ("ana", "ben")
    shown = [m.value for m in at.markdown if "·" in m.value]
    assert len(shown) == 2  # the two undecided disagreements, not the agreement
    no_errors(at.button(key="rec_agree").click().run())
    wide = f"rec_{double_coded['wide_a']}_{double_coded['wide_b']}"
    no_errors(at.button(key=f"{wide}_take_b").click().run())
    no_errors(at.button(key=f"rec_None_{double_coded['only_b']}_neither").click().run())
    engine = connect(url)
    with session_scope(engine) as session:
        consensus = codings_frame(session, [CONSENSUS])
        decisions = units_frame(session, "P1", "ana", "ben")["decision"].tolist()
    engine.dispose()
    assert list(zip(consensus["start"], consensus["end"], consensus["code_id"], strict=True)) == [
        (0, 11, "access"),
        (35, 70, "docs"),
    ]
    assert decisions == ["take_a", "take_b", "neither"]


def test_reconcile_on_a_transcript_nobody_double_coded_names_those_that_are(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        for coder in ("ana", "ben"):
            add_coding(session, "P2", 0, 11, "access", coder)
    engine.dispose()
    at = no_errors(app_as(url, "lena").switch_page("app_pages/reconcile.py").run())
    assert at.selectbox(key="rec_transcript").value == "P1"
    assert [i.value for i in at.info] == [
        "Reconciliation needs two coders' codings of this transcript. Two people have coded P2."
    ]
    no_errors(at.selectbox(key="rec_transcript").select("P2").run())
    assert not at.info and at.selectbox(key="rec_a").value == "ana"


def test_the_lead_opens_the_study_and_assigns_on_the_assignments_page(url: str) -> None:
    at = no_errors(app_as(url, "lena").switch_page("app_pages/assignments.py").run())
    no_errors(at.toggle(key="assign_open").set_value(True).run())
    at.multiselect(key="assign_review_P2").set_value(["lena"])
    form_submit = next(b for b in at.button if b.label == "Save assignments")
    no_errors(form_submit.click().run())
    engine = connect(url)
    with session_scope(engine) as session:
        from qualcarto.assignments import assigned_transcripts

        assert not is_blind(session)
        assert assigned_transcripts(session, "lena", "review") == ["P2"]
    engine.dispose()
    assert len(at.dataframe[0].value) == 5  # ana and ben code P1 and P2, lena reviews P2


def test_the_codebook_page_shows_history_and_the_diff_between_versions(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        book = version_codebook(get_version(session))
        renamed = [
            c if c.id != "docs" else type(c)(**{**c.__dict__, "name": "Shared write-ups"})
            for c in book.codes
        ]
        publish(session, book.with_codes(renamed), "rename docs", author="lena")
    engine.dispose()
    at = no_errors(app_as(url, "ana").switch_page("app_pages/codebook.py").run())
    assert at.dataframe[0].value["version"].tolist() == [1, 2]
    assert "renamed    docs: 'Shared documentation' -> 'Shared write-ups'" in at.code[0].value
    assert any("Shared write-ups" in e.label for e in at.expander)


def test_search_finds_a_phrase_and_codes_its_sentence_in_one_click(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/search.py").run())
    at.text_input(key="search_query").input("took MONTHS")
    at.selectbox(key="search_code").set_value("access")
    no_errors(at.run())
    assert any("1 hits" in c.value for c in at.caption)
    no_errors(at.button(key="hit_0").click().run())
    engine = connect(url)
    with session_scope(engine) as session:
        coded = codings_frame(session, ["ana"])
    engine.dispose()
    assert coded["text"].tolist() == ["It took months \U0001f605!"]


def test_a_review_of_nothing_says_so_instead_of_a_full_bar(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        assign(session, "P1", "ben", "lena", task="review")
    engine.dispose()
    at = no_errors(app_as(url, "ben").switch_page("app_pages/review.py").run())
    assert not at.get("progress")
    assert any("Nothing to review" in i.value for i in at.info)


def test_a_coding_under_review_opens_in_its_transcript(
    url: str, double_coded: dict[str, int]
) -> None:
    at = no_errors(app_as(url, "ben").switch_page("app_pages/review.py").run())
    assert "0 of 2 reviewed" in at.get("progress")[0].proto.text
    no_errors(at.button(key=f"review_open_{double_coded['wide_a']}").click().run())
    assert at.query_params["t"] == "P1"
    assert at.query_params["at"] == "30"
    assert "Review" not in [t.value for t in at.title]  # now on the Code page


def test_search_starts_without_a_code_and_marks_hits_already_coded(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/search.py").run())
    assert at.selectbox(key="search_code").value is None
    at.text_input(key="search_query").input("took MONTHS")
    no_errors(at.run())
    assert at.button(key="hit_0").disabled
    no_errors(at.selectbox(key="search_code").set_value("access").run())
    no_errors(at.button(key="hit_0").click().run())
    assert any("✓ Access to compute" in c.value for c in at.caption)
    assert any("1 hits · 1 already coded by you" in c.value for c in at.caption)
    no_errors(at.button(key="hit_0").click().run())
    assert any("already coded this span" in e.value for e in at.error)


def test_search_codes_all_hits_after_a_preview_and_skips_duplicates(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/search.py").run())
    at.text_input(key="search_query").input("the")
    at.selectbox(key="search_code").set_value("docs")
    at.segmented_control(key="search_unit").set_value("match")
    no_errors(at.run())
    no_errors(at.button(key="hit_0").click().run())
    hits = int(next(c.value for c in at.caption if " hits · " in c.value).split()[0])
    assert hits > 2
    no_errors(at.button(key="search_all").click().run())
    assert any(f"Code {hits - 1} spans" in m.value for m in at.markdown)
    engine = connect(url)
    with session_scope(engine) as session:
        before = len(codings_frame(session, ["ana"]))
    no_errors(at.button(key="search_all_confirm").click().run())
    assert any(f"Coded {hits - 1} spans; 1 already coded" in s.value for s in at.success)
    with session_scope(engine) as session:
        after = codings_frame(session, ["ana"])
    engine.dispose()
    assert len(after) == before + hits - 1
    assert set(after["code_id"]) == {"docs"}


def test_reconcile_offers_machine_layers_only_when_asked(
    url: str, double_coded: dict[str, int]
) -> None:
    machine_codes(url, "P1", "We asked", "access")
    at = no_errors(app_as(url, "lena").switch_page("app_pages/reconcile.py").run())
    assert at.selectbox(key="rec_a").options == ["ana", "ben"]
    no_errors(at.toggle(key="rec_machines").set_value(True).run())
    assert at.selectbox(key="rec_a").options == ["ana", "ben", "auto"]
