# SPDX-License-Identifier: MIT
"""Intercoder agreement: validated coefficients and span agreement for coded transcripts.

Pure functions (DataFrames and arrays in, floats and DataFrames out; no I/O):

* coders x units ratings: :func:`percent_agreement`, :func:`cohen_kappa` (weighted too),
  :func:`fleiss_kappa`, :func:`krippendorff_alpha`, :func:`gwet_ac1`,
  :func:`brennan_prediger`, and :func:`cohen_kappa_from_table` for a two-coder table;
* coded spans (``transcript_id, coder, code_id, start, end`` plus transcript lengths):
  :func:`span_agreement` (two coders at the char, segment or document unit),
  :func:`multi_coder_agreement` (alpha and Fleiss' kappa for any number of coders),
  :func:`unitized_alpha` (Krippendorff's unitizing alpha), :func:`unitizing_family`
  (uα, |uα, cuα and (k)uα of Krippendorff et al. 2016), :func:`match_segments`
  (which segments found a match, for listing disagreements), :func:`bootstrap_ci`
  (seeded intervals resampling transcripts) and :func:`agreement_report` (the table the
  CLI and the app print);
* the report's tables for readers (:mod:`.tables`): :class:`AgreementData` and
  :class:`ReportOptions` in, :func:`code_table`, :func:`transcript_table`,
  :func:`pair_table`, :func:`describe`, :func:`agreement_tables` and :func:`about_rows`
  out; the disagreement anatomy in :mod:`.anatomy`.

Bad input raises :class:`AgreementInputError`; a coefficient undefined for the data
raises :class:`UndefinedAgreementError`; both are ``ValueError`` subclasses. Formulas,
sources and the units of analysis are described in ``docs/agreement.md``.
"""

from qualcarto.agreement.anatomy import (
    DISAGREEMENT_COLUMNS,
    Anatomy,
    anatomy,
    boundary_differences,
    coder_tendencies,
    concentration,
    confusion_matrix,
    disagreements,
)
from qualcarto.agreement.bootstrap import bootstrap_ci
from qualcarto.agreement.bundle import AgreementTables, about_rows, agreement_tables
from qualcarto.agreement.coefficients import (
    brennan_prediger,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from qualcarto.agreement.interview_units import by_units, qa_pairs
from qualcarto.agreement.ratings import AgreementInputError, UndefinedAgreementError
from qualcarto.agreement.report import agreement_report
from qualcarto.agreement.span_agreement import (
    ALL_CODES,
    match_segments,
    multi_coder_agreement,
    span_agreement,
)
from qualcarto.agreement.tables import (
    ALL_CODES_NAME,
    DEFAULT_FLAG_BELOW,
    FLAG_COLOR,
    FLAG_COLUMN,
    MEASURE_NAMES,
    AgreementData,
    ReportOptions,
    code_table,
    describe,
    flag_measure,
    flag_measures,
    flag_note,
    pair_table,
    plain_errors,
    pooled_intervals,
    transcript_table,
)
from qualcarto.agreement.unitized import unitized_alpha
from qualcarto.agreement.unitizing_family import unitizing_family

__all__ = [
    "ALL_CODES",
    "ALL_CODES_NAME",
    "DEFAULT_FLAG_BELOW",
    "DISAGREEMENT_COLUMNS",
    "FLAG_COLOR",
    "FLAG_COLUMN",
    "MEASURE_NAMES",
    "AgreementData",
    "AgreementInputError",
    "AgreementTables",
    "Anatomy",
    "ReportOptions",
    "UndefinedAgreementError",
    "about_rows",
    "agreement_report",
    "agreement_tables",
    "anatomy",
    "bootstrap_ci",
    "boundary_differences",
    "brennan_prediger",
    "by_units",
    "code_table",
    "coder_tendencies",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "concentration",
    "confusion_matrix",
    "describe",
    "disagreements",
    "flag_measure",
    "flag_measures",
    "flag_note",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "match_segments",
    "multi_coder_agreement",
    "pair_table",
    "percent_agreement",
    "plain_errors",
    "pooled_intervals",
    "qa_pairs",
    "span_agreement",
    "transcript_table",
    "unitized_alpha",
    "unitizing_family",
]
