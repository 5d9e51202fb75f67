# SPDX-License-Identifier: MIT
"""One coder in its own process, for ``test_concurrency``: random codings, and a log of each.

Not a test module. Each process opens the store itself (as a coder's browser session
does on the server), adds, edits and deletes its own codings one transaction at a time
and writes one JSON line per change that committed, so the test can replay the log and
compare. Every few steps it also edits one coding that all processes share, as the same
person in two browser tabs would: each such edit either wins or is refused with
``ConflictError``, never silently lost.
"""

from __future__ import annotations

import json
import random
import time
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcarto.coding import add_coding, coding_snapshot, delete_coding, edit_coding
from qualcarto.errors import ConflictError, DuplicateCodingError
from qualcarto.store import connect
from qualcarto.store.engine import with_retry

CODES = ["access", "docs"]
SHARED_CODER = "team"
CONTESTED_EVERY = 20


def replay(lines: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The codings a coder should own after the changes in their log, by coding id."""
    state: dict[int, dict[str, Any]] = {}
    for entry in lines:
        if entry["op"] in ("add", "edit"):
            state[entry["id"]] = {k: entry[k] for k in ("start", "end", "code", "memo", "version")}
        elif entry["op"] == "delete":
            del state[entry["id"]]
    return state


def read_log(path: Path) -> list[dict[str, Any]]:
    """A coder's log as a list of entries."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_coder(
    url: str,
    coder: str,
    operations: int,
    seed: int,
    log_path: str,
    contested_id: int,
    length: int,
    start_together: Any,
) -> None:
    """Make ``operations`` random changes as ``coder``; log each committed one to ``log_path``."""
    rng = random.Random(seed)
    engine = connect(url)
    mine: dict[int, int] = {}  # coding id -> row_version as this coder last wrote it
    with open(log_path, "w", encoding="utf-8") as log:

        def write(**entry: Any) -> None:
            log.write(json.dumps(entry) + "\n")

        try:
            start_together.wait()
            began = time.perf_counter()
            for step in range(operations):
                if step % CONTESTED_EVERY == CONTESTED_EVERY - 1:
                    _edit_contested(engine, coder, step, contested_id, rng, write)
                    continue
                start = rng.randrange(0, length - 1)
                end = rng.randrange(start + 1, min(length, start + 40) + 1)
                code, memo = rng.choice(CODES), f"{coder} step {step}"
                roll = rng.random()
                try:
                    _change(engine, coder, mine, roll, start, end, code, memo, rng, write)
                except DuplicateCodingError:
                    # A random span may repeat one of this coder's own codings: refused, no change.
                    write(op="refused", start=start, end=end, code=code)
            write(op="done", seconds=round(time.perf_counter() - began, 3))
        except BaseException:
            write(op="error", traceback=traceback.format_exc())
            raise
        finally:
            engine.dispose()


def _change(
    engine: Any,
    coder: str,
    mine: dict[int, int],
    roll: float,
    start: int,
    end: int,
    code: str,
    memo: str,
    rng: random.Random,
    write: Any,
) -> None:
    """Add, edit or delete one of ``coder``'s codings, by ``roll``, and log it."""
    if not mine or roll < 0.5:
        made = with_retry(
            engine,
            lambda s, a=start, b=end, c=code, m=memo: _add(s, a, b, c, coder, m),
        )
        mine[made] = 1
        write(op="add", id=made, start=start, end=end, code=code, memo=memo, version=1)
    elif roll < 0.8:
        target = rng.choice(sorted(mine))
        version = with_retry(
            engine,
            lambda s, t=target, a=start, b=end, c=code, m=memo: (
                edit_coding(
                    s,
                    t,
                    coder,
                    start=a,
                    end=b,
                    code_id=c,
                    memo=m,
                    expected_version=mine[t],
                ).row_version
            ),
        )
        mine[target] = version
        write(
            op="edit",
            id=target,
            start=start,
            end=end,
            code=code,
            memo=memo,
            version=version,
        )
    else:
        target = rng.choice(sorted(mine))
        with_retry(
            engine,
            lambda s, t=target: delete_coding(s, t, coder, expected_version=mine[t]),
        )
        del mine[target]
        write(op="delete", id=target)


def _add(session: Session, start: int, end: int, code: str, coder: str, memo: str) -> int:
    return add_coding(session, "P1", start, end, code, coder, memo).id


def _edit_contested(
    engine: Any, coder: str, step: int, coding_id: int, rng: random.Random, write: Any
) -> None:
    """Read the shared coding, pause as a person would, then edit the version that was read."""
    seen = with_retry(engine, lambda s: coding_snapshot(s, coding_id))["row_version"]
    time.sleep(rng.uniform(0, 0.003))
    memo = f"{coder} step {step}"
    try:
        version = with_retry(
            engine,
            lambda s: (
                edit_coding(
                    s, coding_id, SHARED_CODER, memo=memo, expected_version=seen
                ).row_version
            ),
        )
    except ConflictError:
        write(op="conflict", id=coding_id, seen=seen)
        return
    write(op="contested", id=coding_id, memo=memo, version=version)
