# SPDX-License-Identifier: MIT
"""`qualcarto serve`: the real app server starts with production settings on the chosen address."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import Engine

from browser_app import free_port
from qualcarto.cli import main
from qualcarto.cli.ops import DEFAULT_APP, streamlit_command


def test_the_server_runs_headless_without_usage_stats_and_with_xsrf_protection() -> None:
    command = streamlit_command(DEFAULT_APP, "127.0.0.1", 8600)
    assert command[1:5] == ["-m", "streamlit", "run", str(DEFAULT_APP)]
    for setting in (
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.enableXsrfProtection=true",
        "--server.address=127.0.0.1",
        "--server.port=8600",
    ):
        assert setting in command


def test_a_wrong_store_fails_before_the_server_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "typo.db"), "serve"]) == 2
    assert "no store here" in capsys.readouterr().err


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return reply.status, reply.read().decode()


def _put_without_xsrf_token(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=b"x", method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return int(reply.status), reply.read().decode()
    except urllib.error.HTTPError as refused:
        return int(refused.code), refused.read().decode()


@pytest.mark.slow
def test_serve_answers_on_its_address_and_refuses_forged_uploads(study: Engine) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("qualcarto")),
            "--db",
            str(study.url),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = _get(f"{base}/_stcore/health")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not answer within 90 s"
                time.sleep(0.5)
        assert (status, body) == (200, "ok")
        status, page = _get(f"{base}/")
        assert status == 200 and "<html" in page.lower()
        # An upload forged from another site carries no XSRF token: refused.
        status, reason = _put_without_xsrf_token(f"{base}/_stcore/upload_file/s/f")
        assert (status, "XSRF" in reason) == (403, True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with pytest.raises(OSError):  # the server was the process itself: nothing left behind
        _get(f"{base}/_stcore/health")
