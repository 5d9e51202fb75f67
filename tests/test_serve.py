# SPDX-License-Identifier: MIT
"""`qualcarto serve` (and scripts/demo.sh, which runs it): production settings on the chosen address."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from browser_app import ROOT, chromium, free_port
from qualcarto.cli import main
from qualcarto.cli.ops import DEFAULT_APP, streamlit_command


def test_the_server_runs_headless_without_usage_stats_and_with_xsrf_protection() -> None:
    command = streamlit_command(DEFAULT_APP, "127.0.0.1", 8600)
    assert command[1:5] == ["-m", "streamlit", "run", str(DEFAULT_APP)]
    for setting in (
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.enableXsrfProtection=true",
        "--client.showErrorDetails=type",  # no stack traces in users' browsers
        "--client.toolbarMode=minimal",  # no Deploy button, no developer menu
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


def _demo_serve_line() -> str:
    """The last command of ``scripts/demo.sh``: the one that becomes the server."""
    script = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip()]
    return [line for line in commands if not line.startswith("#")][-1]


def test_the_demo_script_ends_by_becoming_qualcarto_serve() -> None:
    script = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    line = _demo_serve_line()
    assert line.startswith("exec .venv/bin/qualcarto ") and " serve " in line
    assert '--port "${PORT:-8501}"' in line
    assert "streamlit" not in script  # one set of server settings: serve's


def _wait_for_health(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(f"{base}/_stcore/health")
            return
        except OSError:
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the server did not answer within 90 s"
            time.sleep(0.3)


def _sign_in_page(browser: Any, base: str) -> Any:
    """The sign-in page, once the script has drawn it (the session's settings have arrived)."""
    page = browser.new_page()
    page.goto(base)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    page.get_by_test_id("stHeader").wait_for(state="attached", timeout=30_000)
    return page


@pytest.mark.slow
@pytest.mark.browser
def test_the_demo_script_serves_without_the_deploy_button_that_plain_streamlit_shows(
    study_template: Path, tmp_path: Path
) -> None:
    """demo.sh's own last line, run in a checkout-like folder, against `streamlit run`."""
    checkout = tmp_path / "checkout"
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "qualcarto").symlink_to(
        Path(sys.executable).with_name("qualcarto")
    )
    shutil.copyfile(study_template, checkout / "qualcarto.db")
    with chromium() as browser:
        port, log = free_port(), tmp_path / "demo.log"
        demo = subprocess.Popen(
            ["bash", "-c", _demo_serve_line()],
            cwd=checkout,
            env={**os.environ, "PORT": str(port)},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_health(f"http://127.0.0.1:{port}", demo, log)
            page = _sign_in_page(browser, f"http://127.0.0.1:{port}")
            assert page.get_by_test_id("stAppDeployButton").count() == 0
            assert page.get_by_test_id("stMainMenu").count() == 0  # no developer menu either
        finally:
            demo.terminate()
            demo.wait(timeout=30)
        # The control: Streamlit's defaults (the old demo.sh) do show the button, so the
        # check above would see it.
        port, log = free_port(), tmp_path / "plain.log"
        defaults = [sys.executable, "-m", "streamlit", "run", str(DEFAULT_APP),
                    "--server.headless=true", "--browser.gatherUsageStats=false",
                    f"--server.port={port}", "--server.address=127.0.0.1"]  # fmt: skip
        plain = subprocess.Popen(
            defaults,
            cwd=DEFAULT_APP.parent,
            env={**os.environ, "QUALCARTO_DB": f"sqlite:///{checkout / 'qualcarto.db'}"},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_health(f"http://127.0.0.1:{port}", plain, log)
            page = _sign_in_page(browser, f"http://127.0.0.1:{port}")
            page.get_by_test_id("stAppDeployButton").wait_for(timeout=30_000)
        finally:
            plain.terminate()
            plain.wait(timeout=30)
