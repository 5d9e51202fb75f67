# SPDX-License-Identifier: MIT
"""How long a big or deep codebook takes to publish, and the Code page to load on it.

Four figures, each beside the baseline measured in the same run (a 1,000-code flat
book, the size of a large real study):

* publish: validate and store a codebook on a fresh SQLite store, for 1,000 codes
  (baseline), 100,000 codes (1,000 groups of 100) and 2,000 levels; the 100,000 codes
  both in one transaction and in batches (``publish_in_batches``, as the CLI does), each
  with the longest wait of another person's save made meanwhile (the lock held);
* Codebook page and Code page: the page script under ``streamlit.testing`` (no browser),
  signed in as the lead, first run after publishing and the rerun after it;
* old walk: the parent-cycle check as it was (a list of ancestors searched per step,
  cubic in depth) on 300 levels beside today's on 2,000, to show what changed.

    .venv/bin/python bench/codebook_size.py [--codes 100000] [--levels 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from streamlit.testing.v1 import AppTest  # noqa: E402

from qualcarto.auth import sign_in  # noqa: E402
from qualcarto.codebook import Codebook, CodeDef, publish, validate  # noqa: E402
from qualcarto.codebook.staged import publish_in_batches  # noqa: E402
from qualcarto.store import connect, record, session_scope  # noqa: E402
from qualcarto.study import create_study  # noqa: E402
from qualcarto.transcripts import import_transcripts  # noqa: E402
from qualcarto.users import add_user  # noqa: E402

PASSWORD = "bench-password"


def flat(n: int) -> Codebook:
    """``n`` codes: groups of 100, each a parent with 99 children."""
    return Codebook(
        title=f"{n:,} codes",
        codes=tuple(
            CodeDef(id=f"c{i}", name=f"Code {i}", parent=f"c{i - i % 100}" if i % 100 else None)
            for i in range(n)
        ),
    )


def deep(levels: int) -> Codebook:
    """One chain ``levels`` deep."""
    return Codebook(
        title=f"{levels:,} levels",
        codes=tuple(
            CodeDef(id=f"c{i}", name=f"Level {i}", parent=f"c{i - 1}" if i else None)
            for i in range(levels)
        ),
    )


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def store_with(folder: Path, book: Codebook, *, batches: bool = True) -> tuple[str, float, float]:
    """A fresh store with a lead, one transcript and ``book`` published.

    Returns the URL, the publish time, and the longest a small write (one audit entry)
    waited for the store while the publish ran: how long the publish held the lock.
    """
    folder.mkdir()
    url = f"sqlite:///{folder / 'study.db'}"
    (folder / "I1.txt").write_text("Interviewer: Why?\n\nP1: Because it helps.\n", "utf-8")
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        create_study(session, "bench")
        add_user(session, "lena", "lead", PASSWORD)
        import_transcripts(session, [folder / "I1.txt"], actor="lena")
    waits: list[float] = []
    done = threading.Event()

    def coder() -> None:  # another person saving while the lead publishes
        while not done.is_set():
            start = time.perf_counter()
            with session_scope(engine) as session:
                record(session, "lena", "bench.save", "bench", 0)
            waits.append(time.perf_counter() - start)
            time.sleep(0.05)

    saver = threading.Thread(target=coder)
    saver.start()
    start = time.perf_counter()
    if batches:
        publish_in_batches(engine, book, "bench", author="lena")
    else:
        with session_scope(engine) as session:
            publish(session, book, "bench", author="lena")
    seconds = time.perf_counter() - start
    done.set()
    saver.join()
    engine.dispose()
    return url, seconds, max(waits, default=0.0)


def page_times(url: str) -> dict[str, float]:
    """The pages under AppTest, signed in as the lead, on a server that never saw the store.

    ``Code page, cold``: the first run, which reads and indexes the codebook (the Code page
    is where a signed-in person lands); then a rerun of it, and the Codebook page.
    """
    engine = connect(url)
    user = sign_in(engine, "lena", PASSWORD)
    engine.dispose()
    assert user is not None
    os.environ["QUALCARTO_DB"] = url
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    app.query_params["session"] = user.token
    times = {"Code page, cold": timed(app.run)}
    assert not app.exception and app.multiselect(key="code_choice").options
    times["Code page, rerun"] = timed(app.run)
    app.switch_page("app_pages/codebook.py")
    times["Codebook page"] = timed(app.run)
    assert not app.exception and app.title[0].value == "Codebook", [t.value for t in app.title]
    times["Codebook page, rerun"] = timed(app.run)
    return times


def old_cycle_check(book: Codebook) -> None:
    """The parent-cycle check before this change: ancestors kept in a list, per code."""
    codes = book.by_id()
    for code in book.codes:
        chain = [code.id]
        parent = code.parent
        while parent is not None:
            assert parent not in chain
            chain.append(parent)
            parent = codes[parent].parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--levels", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        rows: list[tuple[str, float]] = []
        small_url, small, _ = store_with(base / "small", flat(1_000))
        rows.append(("publish 1,000 codes (baseline)", small))
        _, one, one_wait = store_with(base / "one", flat(args.codes), batches=False)
        rows.append((f"publish {args.codes:,} codes, one transaction", one))
        rows.append(("  longest wait of a coder's save meanwhile", one_wait))
        big_url, big, big_wait = store_with(base / "big", flat(args.codes))
        rows.append((f"publish {args.codes:,} codes, in batches", big))
        rows.append(("  longest wait of a coder's save meanwhile", big_wait))
        deep_url, deepest, _ = store_with(base / "deep", deep(args.levels))
        rows.append((f"publish {args.levels:,} levels", deepest))
        for label, url in (
            ("1,000 codes", small_url),
            (f"{args.codes:,} codes", big_url),
            (f"{args.levels:,} levels", deep_url),
        ):
            rows += [(f"{page}, {label}", t) for page, t in page_times(url).items()]
        rows.append(("cycle check, old, 300 levels", timed(lambda: old_cycle_check(deep(300)))))
        rows.append(
            (
                f"cycle check, now, {args.levels:,} levels",
                timed(lambda: validate(deep(args.levels), "b")),
            )
        )
    width = max(len(label) for label, _ in rows)
    print(f"{'':{width}}  seconds  x baseline publish")
    for label, seconds in rows:
        print(f"{label:{width}}  {seconds:7.2f}  {seconds / small:8.1f}")


if __name__ == "__main__":
    main()
