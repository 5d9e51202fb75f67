# SPDX-License-Identifier: MIT
"""``qualcarto agreement`` on the demo study: the figures of the pure core, stamped and readable.

The expected numbers are always computed here by calling ``qualcarto.agreement`` on
``codings_frame`` directly, so the CLI is checked to add labels and never a formula.
A third coder (ana) codes part of the study, half of it under a second codebook version.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import copy_demo
from qualcarto.agreement import (
    agreement_report,
    match_segments,
    span_agreement,
)
from qualcarto.cli import main
from qualcarto.codebook import codes_frame, publish_codebook
from qualcarto.coding import add_coding, codings_frame
from qualcarto.store import connect, session_scope
from qualcarto.transcripts import transcripts_frame

ROOT = Path(__file__).resolve().parents[1]
PAIR = ["linaker2025", "auto"]
ANA_TRANSCRIPTS = ("I1", "I2", "I3", "I4")


def _add_ana(session: object, rows: pd.DataFrame) -> None:
    """Ana agrees with the reference on every other passage and cuts the rest short."""
    for i, row in enumerate(rows.itertuples()):
        start, end = int(row.start), int(row.end)
        if i % 2:
            start = (start + end) // 2
        add_coding(session, row.transcript, start, end, row.code_id, "ana")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def url(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("agreement-demo")
    url = f"sqlite:///{copy_demo(demo_template, folder)}"
    engine = connect(url)
    with session_scope(engine) as session:
        reference = codings_frame(session, ["linaker2025"], list(ANA_TRANSCRIPTS))
    half = len(reference) // 2
    with session_scope(engine) as session:
        _add_ana(session, reference.iloc[:half])
    book = (ROOT / "codebook" / "linaker2025.yaml").read_text(encoding="utf-8")
    changed = book.replace('definition: "Organisations keep', 'definition: "Organizations keep')
    assert changed != book
    (folder / "v2.yaml").write_text(changed, encoding="utf-8")
    with session_scope(engine) as session:
        publish_codebook(session, folder / "v2.yaml", "spelling", author="lena")
    with session_scope(engine) as session:
        _add_ana(session, reference.iloc[half:])
    engine.dispose()
    return url


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, "agreement", *args])
    out, err = capsys.readouterr()
    return code, out, err


def pure_inputs(url: str, coders: list[str]) -> tuple[pd.DataFrame, dict[Hashable, int]]:
    engine = connect(url)
    with session_scope(engine) as session:
        codings = codings_frame(session, coders)
        transcripts = transcripts_frame(session)
    engine.dispose()
    return codings, dict(zip(transcripts["transcript_id"], transcripts["length"], strict=True))


def assert_same_numbers(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert got["code_id"].astype(str).tolist() == expected["code_id"].astype(str).tolist()
    for column in expected.columns.drop("code_id"):
        assert np.allclose(
            got[column].astype(float), expected[column].astype(float), equal_nan=True, atol=1e-12
        ), column


def test_the_demo_prints_a_readable_per_code_table(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(url, capsys, "--coders", *PAIR, "--wide")
    assert code == 0 and not err
    codings, lengths = pure_inputs(url, PAIR)
    expected = agreement_report(codings, lengths, PAIR)
    assert "coders: linaker2025 (reference), auto (machine)" in out
    assert "unit: segment" in out and "at least 90% of the longer" in out
    assert (
        f"{len(lengths)} transcripts, {len(codings)} codings, all made under codebook version 1"
        in out
    )
    assert "How to cite" in out and "docs/agreement.md" in out
    lines = out.splitlines()
    names = dict(zip(*codes_frame_of(url), strict=True))
    for row in expected.itertuples():
        line = next(x for x in lines if x.startswith(f"{row.code_id} "))
        assert names.get(row.code_id, "all codes")[:20] in line
        figures = [f"{row.percent_agreement:.3f}", f"{row.brennan_prediger:.3f}"]
        assert all(figure in line for figure in figures), line


def codes_frame_of(url: str) -> tuple[list[str], list[str]]:
    engine = connect(url)
    with session_scope(engine) as session:
        frame = codes_frame(session)
    engine.dispose()
    return frame["code_id"].tolist(), frame["name"].tolist()


@pytest.mark.parametrize("unit", ["char", "segment", "document"])
def test_csv_holds_the_pure_reports_numbers_and_the_stamp(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, unit: str
) -> None:
    target = tmp_path / "agreement.csv"
    code, out, _ = run(url, capsys, "--coders", *PAIR, "--unit", unit, "--format", "csv",
                       "-o", str(target))  # fmt: skip
    assert code == 0 and str(target) in out
    got = pd.read_csv(target)
    codings, lengths = pure_inputs(url, PAIR)
    assert_same_numbers(got, agreement_report(codings, lengths, PAIR, unit=unit))
    assert set(got["coders"]) == {"linaker2025;auto"} and set(got["unit"]) == {unit}
    assert set(got["codebook_versions"].astype(str)) == {"1"}


def test_json_with_bootstrap_is_the_pure_report_and_seeded(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--coders", *PAIR, "--unit", "char", "--bootstrap", "40", "--seed", "3")
    code, out, _ = run(url, capsys, *args, "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["coders"] == PAIR and payload["codebook_versions"] == [1]
    assert payload["unit"] == "char" and payload["bootstrap"] == 40 and payload["seed"] == 3
    codings, lengths = pure_inputs(url, PAIR)
    expected = agreement_report(codings, lengths, PAIR, unit="char", bootstrap=40, seed=3)
    got = pd.DataFrame(payload["rows"])
    assert_same_numbers(got, expected)
    assert json.loads(run(url, capsys, *args, "--format", "json")[1])["rows"] == payload["rows"]


def test_per_transcript_and_code_equals_the_pure_measure_on_that_transcript(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(url, capsys, "--coders", *PAIR, "--unit", "char",
                       "--by", "transcript-code", "--format", "json")  # fmt: skip
    rows = pd.DataFrame(json.loads(out)["rows"])
    codings, lengths = pure_inputs(url, PAIR)
    ids = dict(zip(codings["transcript"], codings["transcript_id"], strict=False))
    assert code == 0 and set(rows["transcript"]) == set(codings["transcript"])
    for name in ("I1", "I8", "I17"):
        one = codings[codings["transcript"] == name]
        alone = span_agreement(one, {ids[name]: lengths[ids[name]]}, PAIR, unit="char")
        mine = rows[rows["transcript"] == name].set_index("code_id")
        alone = alone[alone["code_id"] != "(all)"].set_index("code_id")
        assert sorted(mine.index) == sorted(alone.index)
        for column in ("percent_agreement", "cohen_kappa"):
            assert np.allclose(mine[column], alone.loc[mine.index, column], equal_nan=True)


def test_per_transcript_counts_add_up_to_the_pooled_row(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(url, capsys, "--coders", *PAIR, "--by", "transcript", "--format", "json")
    rows = pd.DataFrame(json.loads(out)["rows"])
    codings, lengths = pure_inputs(url, PAIR)
    pooled = agreement_report(codings, lengths, PAIR).iloc[-1]
    assert code == 0 and len(rows) == len(lengths)
    for column in ("segments_a", "segments_b", "matched_a", "matched_b"):
        assert rows[column].sum() == pooled[column]
    shares = (rows["matched_a"] + rows["matched_b"]) / (rows["segments_a"] + rows["segments_b"])
    assert np.allclose(rows["percent_agreement"], shares, equal_nan=True)  # 0 of 0: undefined


def test_three_coders_give_a_pair_table_and_name_both_codebook_versions(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    trio = [*PAIR, "ana"]
    code, out, _ = run(url, capsys, "--coders", *trio, "--by", "pair", "--format", "json")
    payload = json.loads(out)
    codings, lengths = pure_inputs(url, trio)
    assert code == 0 and payload["codebook_versions"] == [1, 2]
    assert [(r["coder_a"], r["coder_b"]) for r in payload["rows"]] == [
        ("linaker2025", "auto"), ("linaker2025", "ana"), ("auto", "ana")
    ]  # fmt: skip
    for row in payload["rows"]:
        pair = [row["coder_a"], row["coder_b"]]
        pooled = agreement_report(codings, lengths, pair).iloc[-1]
        assert np.isclose(row["brennan_prediger"], pooled["brennan_prediger"])
        assert np.isclose(row["unitized_alpha"], pooled["unitized_alpha"])
    code, out, _ = run(url, capsys, "--coders", *trio, "--unit", "document", "--wide")
    versions = codings.groupby("codebook_version").size()
    assert (
        f"{len(codings)} codings: {versions[1]} made under codebook version 1, "
        f"{versions[2]} under version 2"
    ) in out
    assert "segs ana" in out and "Fleiss" in out


def test_the_version_filter_keeps_the_codings_made_under_that_version(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(url, capsys, "--coders", "auto", "ana", "--codebook-version", "1",
                       "--format", "json")  # fmt: skip
    payload = json.loads(out)
    codings, _ = pure_inputs(url, ["auto", "ana"])
    assert code == 0 and payload["codebook_versions"] == [1]
    assert payload["codings"] == int((codings["codebook_version"] == 1).sum())
    code, _, err = run(url, capsys, "--coders", *PAIR, "--codebook-version", "2")
    assert (
        code == 2 and err == "error: no codings by 'linaker2025', 'auto' under codebook version 2\n"
    )


def test_disagreements_are_the_unmatched_segments_beside_the_other_excerpt(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "disagreements.csv"
    code, _, _ = run(url, capsys, "--coders", *PAIR, "--disagreements", "--format", "csv",
                     "-o", str(target))  # fmt: skip
    got = pd.read_csv(target)
    codings, lengths = pure_inputs(url, PAIR)
    found = match_segments(codings, lengths, PAIR)
    unmatched = found[~found["matched"]]
    key = ["coder", "code_id", "start", "end"]
    assert code == 0 and len(got) == len(unmatched)
    assert sorted(map(tuple, got[key].to_numpy().tolist())) == sorted(
        map(tuple, unmatched[key].to_numpy().tolist())
    )
    texts = {tuple(r[1:]): r[0] for r in codings[["text", "transcript", *key]].to_numpy().tolist()}
    for row in got.itertuples():
        assert texts[(row.transcript, row.coder, row.code_id, row.start, row.end)] == row.text
        assert row.other_coder != row.coder
        if pd.notna(row.other_start):
            other = (row.transcript, row.other_coder, row.code_id, row.other_start, row.other_end)
            assert texts[other] == row.other_text  # type: ignore[index]
            assert 0 < row.other_overlap < 1
    code, out, _ = run(url, capsys, "--coders", *PAIR, "--disagreements")
    first = got.iloc[0]
    assert f"{first.coder} [{first.start}, {first.end})" in out
    assert " ".join(str(first.text).split())[:60] in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coders", "linaker2025"], "name at least two different coders"),
        (["--coders", "linaker2025", "nobody"], "no coder called 'nobody'"),
        (["--coders", "linaker2025", "lena"], "no codings by 'lena'"),
        (["--coders", *PAIR, "--overlap", "0"], "overlap must be in (0, 1]"),
        (["--coders", *PAIR, "--transcript", "I99"], "no transcript called 'I99'"),
        (["--coders", *PAIR, "--codebook-version", "9"], "codebook version 9"),
    ],
)
def test_bad_input_is_one_line(
    url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(url, capsys, *args)
    assert code == 2 and not out
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_an_undefined_coefficient_shows_as_a_dash_with_a_footnote(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # One transcript at document level: a code both coders used there has a 2x2 table
    # with a single cell, so chance agreement is 1 and kappa is undefined.
    code, out, _ = run(url, capsys, "--coders", *PAIR, "--transcript", "I1", "--unit", "document")
    codings, lengths = pure_inputs(url, PAIR)
    one = codings[codings["transcript"] == "I1"]
    tid = int(one["transcript_id"].iloc[0])
    expected = agreement_report(one, {tid: lengths[tid]}, PAIR, unit="document")
    assert code == 0 and expected["cohen_kappa"].isna().any()
    assert "nan" not in out.lower() and "–" in out
    assert "– = undefined for these data" in out
