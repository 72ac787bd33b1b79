"""Tests of the `python -m bot` command line, and helpers they share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bot.cli import build_cli
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "tests" / "briefs" / "ingestion" / "seeds"
STARTER_COUNT = 5


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the shell or a `.env`; the default database lives in tmp."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)


def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    """Run the CLI in-process (it runs its own event loop: call from a sync test)."""
    result = CliRunner().invoke(
        build_cli(), list(args), input=stdin, env=env, catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def invoke_json(*args: str) -> Any:
    """Run a `--json` command that must succeed; stdout must be exactly one JSON document."""
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def run_module(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot …` in a fresh process with only `env` (plus PATH/HOME) set."""
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(cwd),
        "XDG_DATA_HOME": str(cwd / "xdg"),
        "COLUMNS": "200",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-W", "always::ResourceWarning", "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
