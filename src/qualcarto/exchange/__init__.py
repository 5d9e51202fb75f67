# SPDX-License-Identifier: MIT
"""Exchange: the study's codings out to xlsx, csv, REFI-QDA and graph files, and REFI-QDA in.

Services that take a SQLAlchemy session (``study_data``, ``import_refi``) and writers
that take the gathered frames; the tables themselves come from ``qualcarto.reports``.
"""

from qualcarto.exchange.data import CONSENSUS, StudyData, study_data
from qualcarto.exchange.tables import write_graph, write_tidy_csv
from qualcarto.exchange.xlsx import write_workbook

__all__ = [
    "CONSENSUS",
    "StudyData",
    "study_data",
    "write_graph",
    "write_tidy_csv",
    "write_workbook",
]
