"""Secrets never reach logs or error messages; Settings' repr/str mask them.

Tokens and keys are set to distinctive values and the database URL carries a password
(PostgreSQL runs with trust auth here, so the password is accepted and ignored); CLI
commands, including failing ones and an LLM endpoint that refuses connections, run with
LOG_LEVEL=DEBUG and every byte of stdout/stderr is searched for the values.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.config import Settings
from tests.reliability._support import cli, cli_env

SECRETS = {
    "DISCORD_TOKEN": "disc-TOKEN-e1b2c3d4f5",
    "SLACK_BOT_TOKEN": "xoxb-SECRET-9f8e7d6c",
    "SLACK_APP_TOKEN": "xapp-SECRET-5a4b3c2d",
    "SLACK_SIGNING_SECRET": "signing-SECRET-77aa88bb",
    "LLM_API_KEY": "sk-LLMKEY-0c0ffee0",
    "SLACK_CLIENT_SECRET": "oauth-SECRET-31337abc",
}
DB_PASSWORD = "DbPw-s3cr3t-4242"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_password(url: str) -> str:
    if url.startswith("sqlite"):
        return url
    return make_url(url).set(password=DB_PASSWORD).render_as_string(hide_password=False)


def _leaks(text: str) -> list[str]:
    return [v for v in [*SECRETS.values(), DB_PASSWORD] if v in text]


async def test_cli_logs_and_errors_never_show_secrets(
    db_url: str, tmp_path: Path, record_figure: Any
) -> None:
    url = _with_password(db_url)
    env = cli_env(
        LOG_LEVEL="DEBUG",
        DATABASE_URL=url,
        LLM_BASE_URL=f"http://127.0.0.1:{_closed_port()}/v1",
        LLM_MODEL="test-model",
        LOAD_STARTER_CORPUS="true",
        **SECRETS,
    )
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    dead_db = f"postgresql+asyncpg://postgres:{DB_PASSWORD}@127.0.0.1:{_closed_port()}/test"
    commands = {
        "ask (LLM refused)": ["ask", "Why did Iran let Russia use Hamadan?"],
        "briefs show 999": ["briefs", "show", "999"],
        "ingest png": ["ingest", str(bad)],
    }
    if not db_url.startswith("sqlite"):  # the same dead server for both: run it once
        commands["ask (db down)"] = ["ask", "Hamadan?", "--db", dead_db]
    # the first command creates the schema and loads the corpus; the rest may run together
    first, *rest = commands.items()
    results = [await asyncio.to_thread(cli, first[1], cwd=tmp_path, env=env)]
    results += await asyncio.gather(
        *(asyncio.to_thread(cli, args, cwd=tmp_path, env=env) for _, args in rest)
    )
    codes = {}
    log_bytes = 0
    for name, result in zip(commands, results, strict=True):
        output = result.stdout + result.stderr
        log_bytes += len(output)
        codes[name] = result.returncode
        assert _leaks(output) == [], (name, output[-3000:])
    assert codes["ask (LLM refused)"] == 0  # falls back to the extractive answer
    assert codes["briefs show 999"] == 1
    assert codes["ingest png"] == 1
    assert codes.get("ask (db down)", 1) == 1
    assert "DEBUG" in results[0].stderr  # the log level really was DEBUG
    record_figure(
        "secrets_in_logs",
        backend="sqlite" if db_url.startswith("sqlite") else "postgres",
        commands=len(commands),
        exit_codes=codes,
        log_bytes_searched=log_bytes,
        leaks=0,
    )


def test_settings_repr_and_str_mask_secrets() -> None:
    url = f"postgresql+asyncpg://briefbot:{DB_PASSWORD}@db.example:5432/briefs"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        discord_token=SECRETS["DISCORD_TOKEN"],
        slack_bot_token=SECRETS["SLACK_BOT_TOKEN"],
        slack_app_token=SECRETS["SLACK_APP_TOKEN"],
        slack_signing_secret=SECRETS["SLACK_SIGNING_SECRET"],
        llm_api_key=SECRETS["LLM_API_KEY"],
        slack_client_secret=SECRETS["SLACK_CLIENT_SECRET"],
    )
    for shown in (repr(settings), str(settings), f"{settings}", f"{settings!r}"):
        assert _leaks(shown) == [], shown
        assert "db.example" in shown  # the rest of the URL is still useful
    # the real values are still there for the code that needs them
    assert settings.database_url == url
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == SECRETS["DISCORD_TOKEN"]
