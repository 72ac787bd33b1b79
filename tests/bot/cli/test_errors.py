"""Configuration errors, an unreachable database and secrets, through the CLI."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from bot.config import Settings
from tests.bot.cli import invoke, isolate, run_module

UNREACHABLE = "postgresql://briefbot@127.0.0.1:1/briefs"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("TIMEZONE", "Mars/Base", "'Mars/Base' is not an IANA timezone such as Europe/Berlin"),
        ("MAX_UPLOAD_MB", "abc", "valid number"),
        ("DATABASE_URL", "mysql://x", "use sqlite:///path/to.db or postgresql://"),
        ("TIMEZONE", "[/red]Mars", "is not an IANA timezone"),  # rich markup in a value
    ],
)
@pytest.mark.parametrize("command", [["ask", "Why Hamadan?"], ["briefs", "list"]])
def test_invalid_configuration_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragment: str, command: list[str]
) -> None:
    monkeypatch.setenv(variable, value)

    result = invoke(*command)

    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Invalid configuration: {variable}: ")
    assert fragment in lines[0]


def test_invalid_db_option_exits_2() -> None:
    result = invoke("briefs", "list", "--db", "mysql://x")

    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Invalid configuration: DATABASE_URL: use sqlite:///path/to.db or "
        "postgresql://user@host:5432/db"
    ]


def test_unreachable_postgres_in_process() -> None:
    # In-process the ResourceWarning filter (warnings are errors) checks nothing leaks.
    result = invoke("ask", "Why Hamadan?", "--db", UNREACHABLE)

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: Cannot reach the database")
    assert result.stdout == ""


def test_unusable_sqlite_path(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    url = f"sqlite:///{tmp_path / 'a-file' / 'briefs.db'}"

    result = invoke("briefs", "list", "--db", url)

    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Cannot open the SQLite database" in result.stderr


SECRETS = {
    "DISCORD_TOKEN": "discord-token-QX7Z9K",
    "SLACK_BOT_TOKEN": "xoxb-slack-token-PW4M2N",
    "SLACK_APP_TOKEN": "xapp-app-token-LR8V3T",
    "SLACK_SIGNING_SECRET": "signing-secret-HB5C6D",
    "LLM_API_KEY": "sk-llm-key-JT2F7G",
}
DB_PASSWORD = "db-password-ZN4S8Y"
# name: (arguments, extra environment, expected exit code); each in its own folder.
RUNS: dict[str, tuple[list[str], dict[str, str], int]] = {
    "ask": (["ask", "Why did Iran let Russia use the Hamadan air base?"], {}, 0),
    "unreachable": (
        ["briefs", "list", "--db", f"postgresql://briefbot:{DB_PASSWORD}@127.0.0.1:1/b"],
        {},
        1,
    ),
}


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompletedProcess[str]]:
    """`python -m bot` in separate processes (run in parallel), secrets set, logging at DEBUG."""

    def run(name: str) -> CompletedProcess[str]:
        args, extra, _ = RUNS[name]
        folder = tmp_path_factory.mktemp(name)
        env = {**SECRETS, "LOG_LEVEL": "DEBUG", **extra}
        return run_module(*args, env=env, cwd=folder)

    with ThreadPoolExecutor(len(RUNS)) as pool:
        return dict(zip(RUNS, pool.map(run, RUNS), strict=True))


def test_exit_codes_in_a_real_process(processes: dict[str, CompletedProcess[str]]) -> None:
    for name, (_, _, code) in RUNS.items():
        result = processes[name]
        assert result.returncode == code, (name, result.stderr[-2000:])
        assert "Traceback" not in result.stdout + result.stderr
        assert "ResourceWarning" not in result.stderr
    assert "Hamadan" in processes["ask"].stdout


def test_unreachable_postgres_process(processes: dict[str, CompletedProcess[str]]) -> None:
    result = processes["unreachable"]

    assert result.returncode == 1
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("Error: Cannot reach the database at ")
    assert "127.0.0.1:1" in errors[0]


def test_secrets_are_never_printed(processes: dict[str, CompletedProcess[str]]) -> None:
    assert " DEBUG " in processes["ask"].stderr  # the log really was at DEBUG level
    for name, result in processes.items():
        output = result.stdout + result.stderr
        for variable, value in SECRETS.items():
            assert value not in output, f"{variable} printed by {name}"
        assert DB_PASSWORD not in output, name


def test_secrets_are_not_logged_in_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")
    caplog.set_level(logging.DEBUG)
    db = f"sqlite:///{tmp_path / 'briefs.db'}"
    (tmp_path / "empty.txt").write_bytes(b"")

    results = [
        invoke("briefs", "show", "999", "--db", db),
        invoke("ingest", str(tmp_path / "empty.txt"), "--db", db),
        invoke("ask", "Why Hamadan?", "--db", UNREACHABLE),
    ]
    monkeypatch.setenv("MAX_UPLOAD_MB", "abc")
    results.append(invoke("briefs", "list", "--db", db))

    assert [r.exit_code for r in results] == [1, 1, 1, 2]
    assert caplog.records  # DEBUG records were captured
    shown = caplog.text + "".join(r.output for r in results)
    for value in SECRETS.values():
        assert value not in shown


def test_settings_repr_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)

    settings = Settings()

    for value in SECRETS.values():
        assert value not in repr(settings)
        assert value not in str(settings)
    assert "**********" in repr(settings)
