# SPDX-License-Identifier: MIT
"""The agreement page: the lead's per-code, per-transcript and pair tables, and disagreements.

Figures on the page must be those of ``qualcarto.agreement`` called directly on
``codings_frame``; excerpts (including markup in a hostile transcript) show as text.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_study import app_as, code_span, machine_codes, no_errors
from qualcarto.agreement import agreement_report
from qualcarto.coding import codings_frame
from qualcarto.store import connect, session_scope
from qualcarto.transcripts import transcripts_frame

PAGE = "app_pages/agreement.py"
MARKUP = "<b>not bold</b>"


def pure_report(url: str, coders: list[str], **options: object) -> pd.DataFrame:
    engine = connect(url)
    with session_scope(engine) as session:
        codings = codings_frame(session, coders)
        frame = transcripts_frame(session)
    engine.dispose()
    lengths: dict[Hashable, int] = dict(zip(frame["transcript_id"], frame["length"], strict=True))
    return agreement_report(codings, lengths, coders, **options)  # type: ignore[arg-type]


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """ana and ben agree on one passage, differ on two, and ana codes markup in P2."""
    study = app_study
    monkeypatch.setenv("QUALCARTO_DB", study)
    code_span(study, "P1", "We asked the centre", "access", "ana")
    code_span(study, "P1", "We asked the centre", "access", "ben")
    code_span(study, "P1", "It took months", "docs", "ana")
    code_span(study, "P1", "Then we wrote everything down", "docs", "ben")
    code_span(study, "P2", MARKUP, "money", "ana")
    return study


def open_page(url: str) -> AppTest:
    return no_errors(no_errors(app_as(url, "lena")).switch_page(PAGE).run())


def same_numbers(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert shown["code_id"].tolist() == expected["code_id"].tolist()
    for column in expected.columns.drop("code_id"):
        assert np.allclose(
            shown[column].astype(float), expected[column].astype(float), equal_nan=True
        ), column


def shown_text(markdown: str) -> str:
    """What markdown escaped to plain text shows: each backslash-escaped mark as itself."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_the_lead_sees_the_pure_figures_and_the_disagreements_as_text(url: str) -> None:
    at = open_page(url)
    assert at.multiselect(key="agr_coders").value == ["ana", "ben"]
    same_numbers(at.dataframe[0].value, pure_report(url, ["ana", "ben"]))
    per_transcript = at.dataframe[1].value
    assert per_transcript["transcript"].tolist() == ["P1", "P2"]
    assert per_transcript["segments_a"].tolist() == [2, 1]
    assert any("unit: segment" in shown_text(c.value) for c in at.caption)
    assert any("codebook version 1" in c.value for c in at.caption)
    texts = [t.value for t in at.text]
    assert MARKUP in texts and "It took months" in texts
    assert "Then we wrote everything down" in texts
    assert all(MARKUP not in m.value for m in at.markdown)


def test_another_unit_and_a_bootstrap_recompute_the_table(url: str) -> None:
    at = open_page(url)
    at.selectbox(key="agr_unit").select("char")
    at.number_input(key="agr_bootstrap").set_value(50)
    no_errors(at.run())
    shown = at.dataframe[0].value
    same_numbers(shown, pure_report(url, ["ana", "ben"], unit="char", bootstrap=50, seed=0))
    assert "cohen_kappa_ci_low" in shown


def test_three_coders_add_the_pair_table(url: str) -> None:
    code_span(url, "P1", "We asked the centre", "access", "lena")
    at = open_page(url)
    no_errors(at.multiselect(key="agr_coders").select("lena").run())
    pairs = at.dataframe[2].value
    assert list(zip(pairs["coder_a"], pairs["coder_b"], strict=True)) == [
        ("ana", "ben"), ("ana", "lena"), ("ben", "lena")
    ]  # fmt: skip
    assert "segments_lena" in at.dataframe[0].value


def test_one_coder_is_a_one_line_error(url: str) -> None:
    at = open_page(url)
    no_errors(at.multiselect(key="agr_coders").unselect("ben").run())
    message = "name at least two different coders, got ['ana']"
    assert [shown_text(e.value) for e in at.error] == [message]


def test_a_coder_cannot_open_the_page(url: str) -> None:
    at = no_errors(app_as(url, "ana"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_a_disagreement_opens_the_reconcile_page_on_its_transcript(url: str) -> None:
    at = open_page(url)
    no_errors(at.selectbox(key="agr_dis_transcript").select("P2").run())
    assert not at.main.button  # ben coded nothing in P2: nothing to reconcile there
    no_errors(at.selectbox(key="agr_dis_transcript").select("P1").run())
    no_errors(at.button(key="agr_reconcile_0").click().run())
    assert [t.value for t in at.title] == ["Reconcile"]
    assert at.selectbox(key="rec_transcript").value == "P1"
    assert (at.selectbox(key="rec_a").value, at.selectbox(key="rec_b").value) == ("ana", "ben")


def shaded_rows(at: AppTest) -> set[int]:
    """Rows of the per-code table whose cells carry the flag colour in the page's styler."""
    styles = at.dataframe[0].proto.arrow_data.styler.styles
    shaded = [selectors for selectors, body in re.findall(r"([^{}]*)\{([^}]*)\}", styles)
              if "#fce4d6" in body]  # fmt: skip
    return {int(row) for selectors in shaded for row in re.findall(r"_row(\d+)_", selectors)}


def test_codes_below_the_threshold_are_flagged_and_shaded(url: str) -> None:
    at = open_page(url)
    measure = pure_report(url, ["ana", "ben"])["brennan_prediger"]
    shown = at.dataframe[0].value
    assert shown["flagged"].tolist() == (measure < 0.6).tolist()
    assert shaded_rows(at) == set(np.flatnonzero(measure < 0.6)) != set()
    assert any("Brennan-Prediger kappa is below 0.6" in c.value for c in at.caption)
    no_errors(at.number_input(key="agr_flag_below").set_value(-1.0).run())
    assert not at.dataframe[0].value["flagged"].any() and shaded_rows(at) == set()
    no_errors(at.selectbox(key="agr_flag_on").select("unitized_alpha").run())
    no_errors(at.number_input(key="agr_flag_below").set_value(0.99).run())
    alpha = pure_report(url, ["ana", "ben"])["unitized_alpha"]
    assert at.dataframe[0].value["flagged"].tolist() == (alpha < 0.99).tolist()


def test_people_are_compared_by_default_and_a_machine_layer_only_when_chosen(url: str) -> None:
    machine_codes(url, "P1", "We asked the centre", "access")
    at = open_page(url)
    assert at.multiselect(key="agr_coders").value == ["ana", "ben"]
    assert "auto (machine, 1 codings)" in at.multiselect(key="agr_coders").options
    assert "segments_auto" not in at.dataframe[0].value
    no_errors(at.multiselect(key="agr_coders").select("auto").run())
    assert at.multiselect(key="agr_coders").value == ["ana", "ben", "auto"]
    assert "segments_auto" in at.dataframe[0].value


def test_speaker_turns_are_a_unit_where_a_shared_turn_is_agreement(url: str) -> None:
    """ana and ben code docs on different sentences of P1's one answer turn: no segment
    matches, but both put docs in that turn, so at the turn unit they agree throughout."""
    at = open_page(url)
    no_errors(at.selectbox(key="agr_unit").select("turn").run())
    shown = at.dataframe[0].value.set_index("code_id")
    assert shown.loc["docs", "percent_agreement"] == 1.0
    assert shown.loc["access", "percent_agreement"] == 1.0
    assert shown.loc["money", "percent_agreement"] < 1.0
    assert any("unit: speaker turn" in shown_text(c.value) for c in at.caption)
    assert [h.value for h in at.subheader][:2] == ["Per code", "Per transcript"]
    pooled = at.dataframe[1].value  # each transcript's turns pooled
    assert "#" not in "".join(pooled["transcript"])
    per_turn = at.dataframe[2].value  # every turn, in the expander
    assert all("#" in name for name in per_turn["speaker turn"])  # P1#2, ...
    assert at.expander[0].label == f"Per speaker turn ({len(per_turn):,} rows)"
    for row in pooled.itertuples():  # a transcript's row pools its turns' segments
        turns = per_turn[per_turn["speaker turn"].str.startswith(f"{row.transcript}#")]
        assert row.segments_a == turns["segments_a"].sum()
        assert row.segments_b == turns["segments_b"].sum()
    texts = [t.value for t in at.text]
    assert "It took months" in texts  # disagreements stay whole coded segments
