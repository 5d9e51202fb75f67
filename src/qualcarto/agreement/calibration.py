# SPDX-License-Identifier: MIT
"""Coder calibration: a coder's codings of training transcripts against a standard layer.

Pure. The standard is the lead's consensus or a reference layer; the coder in training
codes the same transcripts blind. Agreement is Cohen's kappa per code at the character
unit (every character of the training transcripts, coded with the code or not), taken
from :func:`qualcarto.agreement.code_table` like every other figure of the report, and
the coder passes when the pooled kappa over all codes reaches the threshold. Codes
below the threshold are listed for the coder and the lead to go through together.

The default threshold, 0.80, is the stricter of the conventions: Krippendorff (2004,
p. 241) asks for 0.800 before data are relied upon, and Landis & Koch (1977) call a
kappa above 0.80 almost perfect. Calibration certifies one person against an agreed
answer before they code alone, so it asks for more than the 0.6 at which the agreement
report flags a code of two peers. O'Connor & Joffe (2020) note that no threshold is
agreed by all and ask that the one used be reported, and MacPhail et al. (2016) train
coders in rounds until agreement is acceptable; the calibration record keeps the
threshold with every result, and the lead can set another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from qualcarto.agreement.ratings import AgreementInputError
from qualcarto.agreement.tables import AgreementData, ReportOptions, code_table

DEFAULT_PASS_AT = 0.80
CALIBRATION_MEASURE = "cohen_kappa"
CALIBRATION_COLUMNS = [
    "code_id",
    "name",
    "coded_standard",
    "coded_coder",
    "coded_both",
    CALIBRATION_MEASURE,
    "passed",
]


@dataclass(frozen=True)
class Calibration:
    """One coder's result against the standard on the training transcripts."""

    standard: str
    coder: str
    threshold: float
    pooled: float  # Cohen's kappa over all codes; NaN when undefined
    passed: bool
    per_code: pd.DataFrame  # CALIBRATION_COLUMNS, codes below the threshold first


def calibrate(data: AgreementData, threshold: float = DEFAULT_PASS_AT) -> Calibration:
    """Per-code and pooled Cohen's kappa of ``data.coders[1]`` against ``data.coders[0]``.

    ``data`` holds exactly two coders, the standard first, over the training
    transcripts. A code passes when its kappa reaches ``threshold``; an undefined kappa
    (neither coded it: nothing to disagree on) is neither passed nor failed (None). The
    coder passes when the pooled kappa reaches ``threshold``.
    """
    if len(data.coders) != 2:
        raise AgreementInputError(f"calibration compares two layers, got {list(data.coders)}")
    if not (isinstance(threshold, int | float) and -1.0 <= threshold <= 1.0):
        raise AgreementInputError(f"the pass threshold must lie in [-1, 1], got {threshold!r}")
    standard, coder = data.coders
    table = code_table(data, ReportOptions("char", flag_on=CALIBRATION_MEASURE, unitized=False))
    kappa = table[CALIBRATION_MEASURE].astype(float)
    rows = pd.DataFrame(
        {
            "code_id": table["code_id"],
            "name": table["name"],
            "coded_standard": table["coded_a"],
            "coded_coder": table["coded_b"],
            "coded_both": table["coded_both"],
            CALIBRATION_MEASURE: kappa,
            "passed": [None if math.isnan(k) else bool(k >= threshold) for k in kappa],
        }
    )
    pooled = float(kappa.iloc[-1])
    per_code = rows.iloc[:-1].assign(_order=[p is not False for p in rows["passed"].iloc[:-1]])
    per_code = per_code.sort_values(["_order", "code_id"], kind="stable").drop(columns="_order")
    return Calibration(
        standard=str(standard),
        coder=str(coder),
        threshold=float(threshold),
        pooled=pooled,
        passed=not math.isnan(pooled) and pooled >= threshold,
        per_code=per_code.reset_index(drop=True),
    )


__all__ = [
    "CALIBRATION_COLUMNS",
    "CALIBRATION_MEASURE",
    "DEFAULT_PASS_AT",
    "Calibration",
    "calibrate",
]
