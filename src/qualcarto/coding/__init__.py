# SPDX-License-Identifier: MIT
"""Codings: add, edit, delete and list them, with the rules every caller shares.

The UI and the CLI call these with plain values; none of them runs SQL of its own. A
coding stores its excerpt beside its offsets (Python ``str`` indices into the stored
text), and every change lands in the audit log with the coder who made it.

* :mod:`.rules`: the checks every change shares (span, active leaf code, no duplicate);
* :mod:`.changes`: ``add_coding``, ``edit_coding``, ``delete_coding``, ``restore_coding``,
  ``coding_snapshot``, ``code_spans``;
* :mod:`.bulk`: ``add_codings`` of many ``NewCoding`` rows, for imports;
* :mod:`.frames`: ``codings_frame`` (the notebook's starting point) and ``code_counts``.
"""

from qualcarto.coding.bulk import NewCoding, add_codings
from qualcarto.coding.changes import (
    CodedSpans,
    add_coding,
    code_spans,
    coding_snapshot,
    delete_coding,
    edit_coding,
    restore_coding,
)
from qualcarto.coding.frames import CODINGS_COLUMNS, code_counts, codings_frame

__all__ = [
    "CODINGS_COLUMNS",
    "CodedSpans",
    "NewCoding",
    "add_coding",
    "add_codings",
    "code_counts",
    "code_spans",
    "coding_snapshot",
    "codings_frame",
    "delete_coding",
    "edit_coding",
    "restore_coding",
]
