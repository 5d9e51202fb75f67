# SPDX-License-Identifier: MIT
"""Coder calibration against a standard layer, on a toy worked out by hand and on a store.

Toy: two training transcripts of 10 characters. The standard codes X at [0,5) of T1 and
Y at [6,10) of T2; the trainee codes X at [0,4) of T1 and Y at [0,4) of T2.
Per code over the 20 characters (both / standard only / trainee only / neither):
  X: 4 / 1 / 0 / 15  p_o = 19/20, p_e = (5*4 + 15*16)/400 = 0.65, kappa = 0.30/0.35 = 6/7
  Y: 0 / 4 / 4 / 12  p_o = 12/20, p_e = (4*4 + 16*16)/400 = 0.68, kappa = -0.08/0.32 = -1/4
Pooled over both codes' 40 cells: 4 / 5 / 4 / 27, p_o = 31/40, p_e = (9*8 + 31*32)/1600
  = 0.665, kappa = 0.11/0.335 = 22/67 (0.328).
At the default threshold 0.8, X passes, Y does not and the trainee does not; at 0.3 the
trainee passes.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from app_study import app_as, code_span, no_errors
from qualcarto.agreement import AgreementInputError, agreement_report
from qualcarto.agreement.calibration import DEFAULT_PASS_AT, calibrate
from qualcarto.agreement.tables import AgreementData
from qualcarto.assignments import assigned_transcripts
from qualcarto.calibration import (
    add_training,
    calibration_status,
    check_coder,
    set_standard,
    start_training,
)
from qualcarto.cli import main
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.reports.html import number_text
from qualcarto.store import AuditEvent, CalibrationResult, connect, session_scope
from qualcarto.study_settings import set_blind
from qualcarto.transcripts import transcripts_frame
from qualcarto.users import add_user


def toy(rows: list[tuple[int, str, str, int, int]]) -> AgreementData:
    codings = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"])
    codings["codebook_version"] = 1
    return AgreementData(
        coders=("gold", "tia"),
        coder_kinds={"gold": "reference", "tia": "human"},
        codings=codings,
        lengths={1: 10, 2: 10},
        transcript_names={1: "T1", 2: "T2"},
        codes=pd.DataFrame({"code_id": ["X", "Y"], "name": ["Ex", "Why"]}),
        facets=(),
        codebook_versions=(1,),
    )


TOY = toy([(1, "gold", "X", 0, 5), (2, "gold", "Y", 6, 10),
           (1, "tia", "X", 0, 4), (2, "tia", "Y", 0, 4)])  # fmt: skip


def test_per_code_and_pooled_kappa_against_the_standard_by_hand() -> None:
    result = calibrate(TOY)
    assert DEFAULT_PASS_AT == 0.8 and result.threshold == 0.8
    by_code = result.per_code.set_index("code_id")
    assert by_code.loc["X", "cohen_kappa"] == pytest.approx(6 / 7)
    assert by_code.loc["Y", "cohen_kappa"] == pytest.approx(-1 / 4)
    assert by_code["passed"].to_dict() == {"Y": False, "X": True}  # below first
    assert by_code.loc["X", ["coded_standard", "coded_coder", "coded_both"]].tolist() == [5, 4, 4]
    assert result.pooled == pytest.approx(22 / 67)
    assert not result.passed
    assert calibrate(TOY, 0.3).passed


def test_a_code_only_the_trainee_used_fails_and_bad_input_is_refused() -> None:
    extra = toy([(1, "gold", "X", 0, 5), (1, "tia", "X", 0, 5), (2, "tia", "Y", 0, 4)])
    by_code = calibrate(extra).per_code.set_index("code_id")
    assert by_code.loc["X", "cohen_kappa"] == 1.0 and by_code.loc["Y", "cohen_kappa"] == 0.0
    assert by_code["passed"].to_dict() == {"Y": False, "X": True}
    with pytest.raises(AgreementInputError, match="threshold"):
        calibrate(TOY, 1.5)


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """gold (a reference layer) codes P1 twice; ana matches one passage, misses the other."""
    monkeypatch.setenv("QUALCARTO_DB", app_study)
    engine = connect(app_study)
    with session_scope(engine) as session:
        add_user(session, "gold", kind="reference")
    engine.dispose()
    code_span(app_study, "P1", "We asked the centre", "access", "gold")
    code_span(app_study, "P1", "It took months", "docs", "gold")
    code_span(app_study, "P1", "We asked the centre", "access", "ana")
    code_span(app_study, "P1", "Then we wrote everything down", "docs", "ana")
    return app_study


def pure_kappa(url: str) -> pd.DataFrame:
    """The same figures straight from the pure report on the stored codings."""
    engine = connect(url)
    with session_scope(engine) as session:
        codings = codings_frame(session, ["gold", "ana"], ["P1"])
        frame = transcripts_frame(session)
    engine.dispose()
    lengths: dict[Hashable, int] = {
        t: n for t, n, name in zip(frame["transcript_id"], frame["length"], frame["transcript"],
                                   strict=True) if name == "P1"
    }  # fmt: skip
    report = agreement_report(codings, lengths, ["gold", "ana"], "char", unitized=False)
    return report.set_index("code_id")["cohen_kappa"]


def test_the_lead_sets_a_standard_trains_and_checks_a_coder(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        set_standard(session, "lena", "gold", 0.5)
        add_training(session, "lena", ["P1"])
        assert start_training(session, "lena", "ana") == ["P1"]
        assert "P1" in assigned_transcripts(session, "ana")
        result = check_coder(session, "lena", "ana")
    expected = pure_kappa(url)
    assert result.pooled == pytest.approx(expected["(all)"])
    kappas = result.per_code.set_index("code_id")["cohen_kappa"]
    assert kappas.to_dict() == pytest.approx(expected.drop("(all)").to_dict())
    assert result.passed == (expected["(all)"] >= 0.5)
    with session_scope(engine) as session:
        stored = session.scalars(select(CalibrationResult)).one()
        assert (stored.coder, stored.standard, stored.transcripts) == ("ana", "gold", ["P1"])
        assert stored.passed == result.passed and stored.threshold == 0.5
        assert {r["code_id"] for r in stored.per_code} == set(kappas.index)
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("calibration.%"))
        ).all()
        assert actions == ["calibration.check"]
        status = calibration_status(session)
        assert status[["coder", "passed"]].values.tolist() == [["ana", result.passed]]
    engine.dispose()


@pytest.mark.parametrize(
    ("step", "error", "message"),
    [
        (lambda s: set_standard(s, "lena", "nobody"), NotFoundError, "no layer called"),
        (lambda s: add_training(s, "lena", ["P1"]), ValidationError, "standard layer first"),
        (lambda s: (set_standard(s, "lena", "gold"), add_training(s, "lena", ["P2"])),
         ValidationError, "no codings in P2"),
        (lambda s: (set_standard(s, "lena", "gold"), add_training(s, "lena", ["P9"])),
         NotFoundError, "no transcript called 'P9'"),
        (lambda s: (set_standard(s, "lena", "gold"), add_training(s, "lena", ["P1"]),
                    set_blind(s, False, "lena"), start_training(s, "lena", "ana")),
         ValidationError, "blind"),
        (lambda s: set_standard(s, "ana", "gold"), ValidationError, "only a lead"),
        (lambda s: check_coder(s, "lena", "ana"), ValidationError, "standard and training"),
    ],
)  # fmt: skip
def test_bad_steps_are_one_line_and_write_nothing(
    url: str, step: object, error: type[Exception], message: str
) -> None:
    engine = connect(url)
    with pytest.raises(error, match=message), session_scope(engine) as session:
        step(session)  # type: ignore[operator]
    with session_scope(engine) as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "setting.set")
                               ).all() == []  # fmt: skip
    engine.dispose()


def test_the_cli_walks_the_calibration(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", url, "calibration"]
    assert main([*db, "standard", "gold", "--threshold", "0.9", "--as", "lena"]) == 0
    assert main([*db, "training", "P1", "--as", "lena"]) == 0
    assert main([*db, "assign", "ana", "--as", "lena"]) == 0
    assert main([*db, "check", "ana", "--as", "lena"]) == 0
    out = capsys.readouterr().out
    pooled = pure_kappa(url)["(all)"]
    verdict = "passed" if pooled >= 0.9 else "not passed"
    assert f"ana against gold: pooled Cohen's kappa {pooled:.3f}, threshold 0.9: {verdict}" in out
    assert main([*db, "status"]) == 0
    status = capsys.readouterr().out
    assert "standard: gold; threshold 0.9; training: P1" in status
    assert f"ana\t{verdict}\t{pooled:.3f}" in status
    assert main([*db, "check", "ben", "--as", "lena"]) == 2  # ben coded nothing in P1


def test_the_pages_show_the_result(url: str) -> None:
    at = no_errors(no_errors(app_as(url, "lena")).switch_page("app_pages/calibration.py").run())
    at.selectbox(key="cal_standard").select("gold")
    no_errors(at.button(key="cal_set").click().run())
    at.multiselect(key="cal_training").set_value(["P1"])
    no_errors(at.button(key="cal_add").click().run())
    assert at.multiselect(key="cal_training").value == []  # added: the picker is empty again
    assert at.selectbox(key="cal_coder").options[-1] == "lena"  # the coders come first
    at.selectbox(key="cal_coder").select("ana")
    no_errors(at.button(key="cal_check").click().run())
    assert not at.error, [e.value for e in at.error]
    expected = pure_kappa(url)
    for _ in range(2):  # the result and the status right after the check, and after a rerun
        shown = at.dataframe[0].value.set_index("code_id")["cohen_kappa"]  # the result per code
        assert shown.to_dict() == pytest.approx(expected.drop("(all)").to_dict())
        assert at.dataframe[-1].value["coder"].tolist() == ["ana"]  # status
        assert not at.info, [i.value for i in at.info]  # no "nobody checked yet" under it
        no_errors(at.run())
    at.switch_page("app_pages/assignments.py")
    calibrated = no_errors(at.run()).dataframe[-1].value
    assert calibrated[["coder", "standard"]].values.tolist() == [["ana", "gold"]]
    assert calibrated["kappa"].tolist() == pytest.approx([expected["(all)"]])


def test_the_appendix_states_the_calibration_only_once_recorded(url: str, tmp_path: Path) -> None:
    def report(out: Path) -> tuple[str, Path]:
        args = ["--db", url, "report", "--out", str(out), "--no-pdf", "--bootstrap", "10",
                "--orders", "10"]  # fmt: skip
        assert main(args) == 0
        return (out / "appendix.html").read_text(encoding="utf-8"), out / "tables"

    before, tables = report(tmp_path / "before")
    assert "calibrat" not in before.lower()
    assert not (tables / "process-calibration.csv").exists()
    db = ["--db", url, "calibration"]
    assert main([*db, "standard", "gold", "--threshold", "0.5", "--as", "lena"]) == 0
    assert main([*db, "training", "P1", "--as", "lena"]) == 0
    assert main([*db, "check", "ana", "--as", "lena"]) == 0
    after, tables = report(tmp_path / "after")
    pooled = pure_kappa(url)["(all)"]
    verdict = "yes" if pooled >= 0.5 else "no"
    stated = pd.read_csv(tables / "process-calibration.csv")
    assert stated[["coder", "standard", "training", "threshold", "passed"]].values.tolist() == [
        ["ana", "gold", "P1", 0.5, verdict]
    ]
    assert stated["kappa"].tolist() == pytest.approx([pooled])
    process = after.split("The coding process</h2>")[1].split("<h2>")[0]
    assert "Coder calibration" in process and f"<td>{number_text(pooled)}</td>" in process
    words = "passed" if verdict == "yes" else "not passed"
    sentence = (
        f"ana {number_text(pooled)} against gold on 1 training transcript(s) ({words} at 0.5)"
    )
    assert sentence in after
