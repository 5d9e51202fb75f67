# SPDX-License-Identifier: MIT
"""The methods appendix as one HTML document: study, codebook, process, agreement,
disagreement anatomy, saturation, cartography figures and a drafted methods paragraph.

Pure: an :class:`Appendix` (every table already computed, read from a store by
``qualcarto.appendix_data``) in, HTML text out. Every section is stamped with the
codebook version and the layers its numbers came from, and names the CLI command that
recomputes them. Text from the store is escaped; figures are linked by relative path.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcarto.agreement import Anatomy
from qualcarto.reports.html import curve_svg, number_text, table_html
from qualcarto.saturation import SaturationRule

CITATIONS = {
    "cohen": "Cohen, J. (1960). A coefficient of agreement for nominal scales. "
    "Educational and Psychological Measurement, 20(1), 37-46.",
    "krippendorff": "Krippendorff, K. (2019). Content Analysis: An Introduction to Its "
    "Methodology (4th ed.). SAGE.",
    "brennan": "Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, "
    "misuses, and alternatives. Educational and Psychological Measurement, 41(3), 687-699.",
    "guest": "Guest, G., Namey, E., & Chen, M. (2020). A simple method to assess and report "
    "thematic saturation in qualitative research. PLoS ONE, 15(5), e0232076.",
    "campbell": "Campbell, J. L., Quincy, C., Osserman, J., & Pedersen, O. K. (2013). Coding "
    "in-depth semistructured interviews: Problems of unitization and intercoder reliability "
    "and agreement. Sociological Methods & Research, 42(3), 294-320.",
    "landis": "Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement "
    "for categorical data. Biometrics, 33(1), 159-174.",
    "macphail": "MacPhail, C., Khoza, N., Abler, L., & Ranganathan, M. (2016). Process "
    "guidelines for establishing intercoder reliability in qualitative studies. "
    "Qualitative Research, 16(2), 198-212.",
    "oconnor": "O'Connor, C., & Joffe, H. (2020). Intercoder reliability in qualitative "
    "research: Debates and practical guidelines. International Journal of Qualitative "
    "Methods, 19.",
    "linaker": "Linåker, J., Osborne, C., Ding, J., & Burtenshaw, B. (2025). A cartography "
    "of open collaboration in open source AI: Mapping practices, motivations, and "
    "governance in 14 open large language model projects.",
}


@dataclass(frozen=True)
class AgreementRound:
    """Agreement of two or more coders on one set of double-coded transcripts."""

    name: str
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]
    codebook_versions: tuple[int, ...]
    pooled: pd.DataFrame  # unit, measure, estimate, ci_low, ci_high
    per_code: pd.DataFrame  # segment unit, flagged codes first
    about: tuple[str, ...]
    bootstrap: int
    seed: int
    reconciled: bool | None = None  # None: not a recorded round


def trend_table(rounds: tuple[AgreementRound, ...]) -> pd.DataFrame:
    """One row per round: codebook version(s), transcripts, and the headline coefficient
    of each unit with its interval - the trend across rounds and codebook versions."""
    rows = []
    for r in rounds:
        table = r.pooled.set_index(["unit", "measure"])
        row: dict[str, object] = {
            "round": r.name,
            "versions": ", ".join(map(str, r.codebook_versions)),
            "transcripts": len(r.transcripts),
            "reconciled": {None: "", True: "yes", False: "no"}[r.reconciled],
        }
        for unit, measures in PRIMARY.items():
            found = [m for m in measures if (unit, m) in table.index]
            if found:
                key = (unit, found[0])
                row[f"{unit}: {found[0]}"] = table.at[key, "estimate"]
                row[f"{unit}: ci"] = (
                    f"{number_text(table.at[key, 'ci_low'])}-{number_text(table.at[key, 'ci_high'])}"
                )
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Appendix:
    """Everything the appendix states, computed once."""

    title: str
    generated_at: str
    tool_version: str
    codebook_version: int
    transcripts: int
    participants: pd.DataFrame  # attribute, value, participants
    codebook_history: pd.DataFrame
    codes: int
    coders: pd.DataFrame  # coder, kind, codings, transcripts
    activity: pd.DataFrame  # action, events
    reconciliation: pd.DataFrame  # decision, units
    reviews: int
    rounds: tuple[AgreementRound, ...]
    anatomy: Anatomy | None  # of the last round
    saturation_layer: tuple[str, ...]
    saturation_rule: SaturationRule
    saturation_order: str
    saturation_orders: int
    saturation: pd.DataFrame
    discovery: pd.DataFrame
    cartography_layer: tuple[str, ...]
    saturation_note: str = ""  # why saturation was not assessed ("" when it was)
    cartography_note: str = ""  # why the cartography was not drawn ("" when it was)
    figures: tuple[str, ...] = ()  # relative paths of the figures, filled by the writer
    commands: dict[str, str] = field(default_factory=dict)
    anatomy_round: str = ""  # the round the anatomy measures
    # each calibrated coder's latest check: coder, standard, training, kappa, threshold, passed
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)


PRIMARY = {
    "char": ["cohen_kappa", "krippendorff_alpha"],
    "segment": ["brennan_prediger"],
    "turn": ["cohen_kappa", "krippendorff_alpha"],
    "qa": ["cohen_kappa", "krippendorff_alpha"],
}
UNIT_WORDS = {"qa": "question-answer pair"}
LABELS = {
    "cohen_kappa": "Cohen's kappa",
    "krippendorff_alpha": "Krippendorff's alpha",
    "brennan_prediger": "Brennan-Prediger kappa",
}


def _pooled_sentence(r: AgreementRound) -> str:
    parts = []
    table = r.pooled.set_index(["unit", "measure"])
    for unit, measures in PRIMARY.items():
        found = [m for m in measures if (unit, m) in table.index]
        if not found:
            continue
        key = (unit, found[0])
        low, high = table.at[key, "ci_low"], table.at[key, "ci_high"]
        ci = (
            f" (95% CI {number_text(low)}-{number_text(high)})"
            if number_text(low) not in {"", "–"}
            else ""
        )
        share = table["estimate"].get((unit, "percent_agreement"))
        parts.append(
            f"{LABELS[found[0]]} {number_text(table.at[key, 'estimate'])}{ci} at the "
            f"{UNIT_WORDS.get(unit, unit)} unit "
            f"(percent agreement {number_text(share)})"
        )
    return "; ".join(parts)


def _rounds_sentence(rounds: tuple[AgreementRound, ...]) -> str:
    """How many rounds were recorded and which of them were reconciled, as they were."""
    settled = [r.name for r in rounds if r.reconciled]
    waiting = [r.name for r in rounds if r.reconciled is False]
    start = f"Coding proceeded in {len(rounds)} recorded round(s), each coded independently"
    if not waiting:
        return f"{start} and then reconciled (MacPhail et al. 2016)."
    if not settled:
        return f"{start}; none has been reconciled yet."
    return (
        f"{start}; {' and '.join(settled)} {'was' if len(settled) == 1 else 'were'} then "
        f"reconciled by discussion (MacPhail et al. 2016), {' and '.join(waiting)} "
        f"{'is' if len(waiting) == 1 else 'are'} not reconciled yet."
    )


def _calibration_sentence(calibration: pd.DataFrame) -> str:
    """Each calibrated coder's latest check against the standard, in one sentence."""
    checks = [
        f"{r.coder} {number_text(r.kappa)} against {r.standard} on "
        f"{len(str(r.training).split(', '))} training transcript(s) "
        f"({'passed' if r.passed == 'yes' else 'not passed'} at {number_text(r.threshold)})"
        for r in calibration.itertuples()
    ]
    return (
        "Coders were calibrated against a standard layer on training transcripts "
        "(pooled Cohen's kappa at the character unit, latest check per coder): "
        f"{'; '.join(checks)}."
    )


def methods_paragraph(a: Appendix) -> str:
    """A drafted methods paragraph stating the appendix's numbers with citations."""
    text = [
        f"The study comprises {a.transcripts} interview transcripts, coded with a codebook "
        f"of {a.codes} codes that went through {len(a.codebook_history)} published "
        f"version(s); the numbers below refer to codebook version {a.codebook_version}."
    ]
    if any(r.reconciled is not None for r in a.rounds):
        text.append(_rounds_sentence(a.rounds))
    for r in a.rounds:
        text.append(
            f"In {'the ' if r.reconciled is None else ''}{r.name}, {' and '.join(r.coders)} coded {len(r.transcripts)} "
            f"transcripts independently; agreement was {_pooled_sentence(r)} "
            f"(Cohen 1960; Brennan & Prediger 1981; units after Campbell et al. 2013; "
            f"intervals from {r.bootstrap} bootstrap resamples of transcripts - of turns or "
            f"pairs at those units - seed {r.seed}), which we read against Landis & "
            "Koch's (1977) bands and report per code as O'Connor & Joffe (2020) advise."
        )
    if len(a.calibration):
        text.append(_calibration_sentence(a.calibration))
    decided = int(a.reconciliation["units"].sum()) if len(a.reconciliation) else 0
    if decided:
        settled = [r.name for r in a.rounds if r.reconciled]
        where = f" in {' and '.join(settled)}" if settled else ""
        text.append(
            f"Disagreements{where} were settled by discussion: the lead decided {decided} "
            "units, and the result forms the consensus layer."
        )
    overall = a.saturation[a.saturation["scope"] == "all codes"]
    if a.saturation_note:
        text.append(
            f"Thematic saturation (Guest, Namey & Chen 2020) was not assessed: {a.saturation_note}."
        )
    if len(overall):
        row = overall.iloc[0]
        rule = a.saturation_rule
        where = (
            f"was reached after {int(row['point'])} interviews"
            if not pd.isna(row["point"])
            else "was not reached"
        )
        spread = (
            f"; over {a.saturation_orders} random interview orders the median point was "
            f"{number_text(row['median'])} (range {number_text(row['min'])}-{number_text(row['max'])}, "
            f"reached in {float(row['reached']):.0%} of orders)"
            if row["median"] is not None and not pd.isna(row["median"])
            else f"; it was reached in none of {a.saturation_orders} random orders"
        )
        text.append(
            f"Thematic saturation (Guest, Namey & Chen 2020; base size {rule.base}, run "
            f"length {rule.run}, new-information threshold {rule.threshold:.0%}) in "
            f"{a.saturation_order} {where}{spread}."
        )
    return " ".join(text)


STYLE = """
body{font-family:'DejaVu Sans',sans-serif;font-size:10pt;margin:2em;max-width:60em;color:#111}
h1{font-size:18pt}h2{font-size:13pt;margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;margin:.5em 0;font-size:8.5pt}
th,td{border:1px solid #bbb;padding:2px 5px;text-align:left;vertical-align:top}
th{background:#eee}.stamp{color:#555;font-size:8.5pt}.cmd{font-family:monospace;font-size:8.5pt}
img{max-width:100%}figure{margin:1em 0;page-break-inside:avoid}
@page{size:A4;margin:15mm}
"""


def appendix_html(a: Appendix) -> str:
    """The whole appendix as one HTML page."""
    e = html.escape
    out = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(a.title)}"
        f"</title><style>{STYLE}</style></head><body><h1>{e(a.title)}</h1>",
        f"<p class='stamp'>qualcarto {e(a.tool_version)}, generated {e(a.generated_at)}; "
        f"codebook version {a.codebook_version}. Each section names the layers its numbers "
        "come from and the command that recomputes them.</p>",
    ]

    def section(title: str, key: str, stamp: str) -> None:
        out.append(f"<h2>{e(title)}</h2><p class='stamp'>{e(stamp)}</p>")
        if key in a.commands:
            out.append(
                f"<p class='stamp'>recompute: <span class='cmd'>{e(a.commands[key])}</span></p>"
            )

    section("Methods paragraph (draft)", "", "drafted from the numbers below; edit before use")
    out.append(f"<p>{e(methods_paragraph(a))}</p>")
    section("The study", "study", f"{a.transcripts} transcripts")
    if len(a.participants):
        out.append(table_html(a.participants))
    section(
        "The codebook and its change log",
        "codebook",
        f"{a.codes} codes in version {a.codebook_version}",
    )
    out.append(table_html(a.codebook_history))
    section("The coding process", "process", "from the audit log and the store")
    out.append(table_html(a.coders))
    out.append(table_html(a.activity))
    if len(a.reconciliation):
        out.append("<p>Reconciliation decisions:</p>" + table_html(a.reconciliation))
    out.append(f"<p>Reviews recorded: {a.reviews}.</p>")
    if len(a.calibration):
        out.append(
            "<p>Coder calibration (each coder's latest check: pooled Cohen's kappa at the "
            "character unit against the standard layer on the training transcripts, passing "
            "at the threshold):</p>" + table_html(a.calibration)
        )
    if len(a.rounds) > 1 or any(r.reconciled is not None for r in a.rounds):
        section("Agreement across rounds", "rounds", "each recorded round on its own transcripts")
        out.append(table_html(trend_table(a.rounds)))
    for r in a.rounds:
        section(
            f"Agreement: {r.name}",
            "agreement",
            f"coders {', '.join(r.coders)}; codebook version(s) "
            f"{', '.join(map(str, r.codebook_versions))}; transcripts "
            f"{', '.join(r.transcripts)}",
        )
        out.append("".join(f"<p class='stamp'>{e(line)}</p>" for line in r.about))
        out.append(table_html(r.pooled))
        out.append("<p>Per code (segment unit, flagged codes first):</p>")
        out.append(table_html(r.per_code))
    if a.anatomy is not None:
        x, y = a.anatomy.coders
        where = f"; {a.anatomy_round}" if a.anatomy_round else ""
        section("Disagreement anatomy", "anatomy", f"coders {x} (a) and {y} (b){where}")
        out.append("<p>Codes swapped for one another (confusion matrix off the diagonal):</p>")
        out.append(table_html(a.anatomy.swaps.head(20)))
        confusion = a.anatomy.confusion
        out.append(
            f"<p>Confusion matrix: {int(np.trace(confusion.to_numpy()[:-1, :-1]))} segments "
            f"with the same code, {int(confusion.iloc[:-1, -1].sum())} coded by {e(x)} only, "
            f"{int(confusion.iloc[-1, :-1].sum())} by {e(y)} only (full matrix: "
            "anatomy-confusion.csv).</p>"
        )
        out.append(
            "<p>Boundary differences of same-code partners (characters; positive: "
            f"{e(y)} starts or ends later):</p>"
        )
        out.append(table_html(a.anatomy.boundaries.tail(1)))
        out.append("<p>Coder tendencies (pooled; per code in anatomy-tendencies.csv):</p>")
        out.append(table_html(a.anatomy.tendencies.tail(1)))
        out.append("<p>Where disagreements concentrate:</p>")
        out.append(table_html(a.anatomy.concentration.head(15)))
    section(
        "Saturation",
        "saturation",
        f"layer(s) {', '.join(a.saturation_layer)}; {a.saturation_order}; "
        f"{a.saturation_orders} random orders",
    )
    overall = a.saturation[a.saturation["scope"] == "all codes"]
    point = float(overall["point"].iloc[0]) if len(overall) else None
    out.append(
        f"<figure>{curve_svg(a.discovery, point)}<figcaption class='stamp'>Distinct "
        "codes after each interview: the study's order (line), the median (dashed) "
        "and range (band) of the random orders.</figcaption></figure>"
    )
    if a.saturation_note:
        out.append(f"<p>Saturation not assessed: {e(a.saturation_note)}.</p>")
    else:
        out.append(table_html(a.saturation))
    if a.cartography_note:
        out.append(f"<h2>Cartography</h2><p>Not drawn: {e(a.cartography_note)}.</p>")
    if a.figures:
        section(
            "Cartography",
            "cartography",
            f"layer(s) {', '.join(a.cartography_layer)}; Linåker et al. (2025)",
        )
        for path in a.figures:
            out.append(f"<figure><img src='{e(path)}' alt='cartography figure {e(path)}'></figure>")
    out.append("<h2>References</h2><ul>")
    out += [f"<li>{e(c)}</li>" for c in CITATIONS.values()]
    out.append("</ul></body></html>")
    return "\n".join(out)


__all__ = [
    "CITATIONS",
    "AgreementRound",
    "Appendix",
    "appendix_html",
    "curve_svg",
    "methods_paragraph",
    "table_html",
    "trend_table",
]
