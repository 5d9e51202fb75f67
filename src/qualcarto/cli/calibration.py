# SPDX-License-Identifier: MIT
"""``qualcarto calibration``: certify a new coder against the lead's standard layer."""

from __future__ import annotations

import click

from qualcarto.cli.common import store_session

AS_LEAD = click.option("--as", "actor", required=True, help="The lead doing it (audit log).")


@click.group("calibration")
def calibration_group() -> None:
    """Calibrate new coders: a standard layer, training transcripts, a pass threshold.

    Example: qualcarto calibration standard consensus --threshold 0.8 --as lena
    """


@calibration_group.command("standard")
@click.argument("layer")
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Pooled Cohen's kappa a coder must reach (default 0.8).",
)
@AS_LEAD
@click.pass_context
def standard(ctx: click.Context, layer: str, threshold: float | None, actor: str) -> None:
    """Mark a layer (the consensus or a reference layer) as the standard.

    Example: qualcarto calibration standard consensus --threshold 0.8 --as lena
    """
    from qualcarto.calibration import set_standard

    with store_session(ctx) as session:
        setting = set_standard(session, actor, layer, threshold)
    click.echo(f"standard: {layer}; a coder passes at a pooled kappa of {setting['threshold']:g}")


@calibration_group.command("training")
@click.argument("transcripts", nargs=-1, required=True)
@AS_LEAD
@click.pass_context
def training(ctx: click.Context, transcripts: tuple[str, ...], actor: str) -> None:
    """Add transcripts the standard has coded to the training set.

    Example: qualcarto calibration training I11 I12 --as lena
    """
    from qualcarto.calibration import add_training

    with store_session(ctx) as session:
        setting = add_training(session, actor, transcripts)
    click.echo(f"training transcripts: {', '.join(setting['transcripts'])}")


@calibration_group.command("assign")
@click.argument("coder")
@AS_LEAD
@click.pass_context
def assign_training(ctx: click.Context, coder: str, actor: str) -> None:
    """Assign the training transcripts to a new coder (the study must be blind).

    Example: qualcarto calibration assign cleo --as lena
    """
    from qualcarto.calibration import start_training

    with store_session(ctx) as session:
        names = start_training(session, actor, coder)
    click.echo(f"{coder} codes {', '.join(names)} blind")


@calibration_group.command("check")
@click.argument("coder")
@AS_LEAD
@click.pass_context
def check(ctx: click.Context, coder: str, actor: str) -> None:
    """Measure a coder against the standard, record the result and print it per code.

    Example: qualcarto calibration check cleo --as lena
    """
    from qualcarto.calibration import check_coder

    with store_session(ctx) as session:
        result = check_coder(session, actor, coder)
    verdict = "passed" if result.passed else "not passed"
    click.echo(
        f"{coder} against {result.standard}: pooled Cohen's kappa {result.pooled:.3f}, "
        f"threshold {result.threshold:g}: {verdict}"
    )
    for row in result.per_code.itertuples(index=False):
        mark = "ok" if row.passed is True else "below" if row.passed is False else "-"
        click.echo(f"  {row.code_id}\t{row.cohen_kappa:.3f}\t{mark}")


@calibration_group.command("status")
@click.pass_context
def status(ctx: click.Context) -> None:
    """The standard, the training transcripts and each coder's latest result.

    Example: qualcarto calibration status
    """
    from qualcarto.calibration import calibration_setting, calibration_status

    with store_session(ctx, read_only=True) as session:
        setting = calibration_setting(session)
        frame = calibration_status(session)
    click.echo(
        f"standard: {setting['standard'] or '(none)'}; threshold {setting['threshold']:g}; "
        f"training: {', '.join(setting['transcripts']) or '(none)'}"
    )
    for row in frame.to_dict("records"):
        verdict = "passed" if row["passed"] else "not passed"
        kappa = "-" if row["kappa"] is None else f"{float(row['kappa']):.3f}"
        click.echo(f"{row['coder']}\t{verdict}\t{kappa}\t{str(row['checked_at'])[:10]}")
