# SPDX-License-Identifier: MIT
"""The app served by ``streamlit run`` and Debian's Chromium, for the browser tests.

Not a test module: ``test_browser``, ``test_browser_xss`` and ``bench/ui.py`` start the
app and the browser with it, so they all run the same server on the same flags. In CI
(``$CI`` set) a missing Chromium fails the run: a skipped browser test proves nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def need_chromium() -> None:
    """Skip the test when Chromium is missing, or fail it in CI."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing (set CI=1 to make this a failure)")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(url: str, log: Path, root: Path = ROOT) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` on a free loopback port, once it answers its health check.

    ``root`` may be another checkout (e.g. a baseline for a benchmark): its ``src`` comes first.
    """
    port = free_port()
    env = {**os.environ, "QUALCARTO_DB": url}
    if root != ROOT:
        env["PYTHONPATH"] = str(root / "src")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")


@contextmanager
def running_app(url: str, log: Path, root: Path = ROOT) -> Iterator[str]:
    """The app on the store at ``url`` for the length of the block; yields its base address."""
    process, base = start_app(url, log, root)
    try:
        yield base
    finally:
        process.terminate()
        try:  # Streamlit closes its sessions first: slow on a loaded machine
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium through Playwright for the length of the block."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


# Where a code-point offset of the transcript is on screen: the JS converts it to the
# UTF-16 offset of the text node inside the piece that holds it (a piece's first child is
# its text), including a character outside the BMP. Call with [offset, after].
OFFSET_POINT = """([offset, after]) => {
  const box = document.querySelector('[data-testid="qc-transcript"]');
  for (const piece of box.querySelectorAll('[data-s]')) {
    const s = Number(piece.dataset.s), e = Number(piece.dataset.e);
    if (offset < s || offset >= e) continue;
    const node = piece.firstChild;
    const units = Array.from(node.data).slice(0, offset - s).join('').length;
    const width = node.data.codePointAt(units) > 0xffff ? 2 : 1;
    const range = document.createRange();
    range.setStart(node, units); range.setEnd(node, units + width);
    const r = range.getBoundingClientRect();
    return {x: after ? r.right - 1 : r.left + 1, y: r.top + r.height / 2};
  }
  return null;
}"""
