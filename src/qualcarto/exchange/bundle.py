# SPDX-License-Identifier: MIT
"""Every export format of one layer at once, for the app's download buttons."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from qualcarto.exchange.data import StudyData
from qualcarto.exchange.refi_export import write_qdc, write_qdpx
from qualcarto.exchange.tables import write_graph, write_tidy_csv
from qualcarto.exchange.xlsx import write_workbook
from qualcarto.wording import slug

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "qdpx": "application/zip",
    "qdc": "application/xml",
    "graphml": "application/xml",
    "gexf": "application/xml",
}


def file_stem(data: StudyData) -> str:
    """A file name for the study, layer and version in whole words: letters, digits, dashes.

    The demo study's workbook of every coder is
    ``demo-open-collaboration-in-open-llm-projects-all-coders-v1.xlsx``.
    """
    parts = [slug(data.project, 48) or "qualcarto", slug(data.layer, 40)]
    if data.group is not None:
        parts.append(slug(data.group, 40))
    return "-".join([*filter(None, parts), f"v{data.codebook_version}"])


def write_all(session: Session, data: StudyData, folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Write ``data`` in every format it fits into ``folder``.

    Returns format -> file, and one line for each format left out and why (a codebook too
    deep for REFI-QDA leaves out .qdpx and .qdc; the other formats are still written).
    """
    stem = file_stem(data)
    files = {fmt: folder / f"{stem}.{fmt}" for fmt in FORMATS}
    write_workbook(data, files["xlsx"])
    write_tidy_csv(data, files["csv"])
    left_out: list[str] = []
    problem = data.codebook.refi_problem()
    if problem:
        left_out.append(f"REFI-QDA files left out: {problem}")
        del files["qdpx"], files["qdc"]
    else:
        write_qdpx(session, data, files["qdpx"])
        write_qdc(session, files["qdc"], data.codebook_version)
    write_graph(data, files["graphml"], "graphml")
    write_graph(data, files["gexf"], "gexf")
    return files, left_out
