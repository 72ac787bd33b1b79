"""Settings from the environment and `.env`: defaults, lists, secrets, URL normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, default_database_url, load_settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting leaks in from the developer's shell or a `.env` in the checkout."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    data_home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.chdir(tmp_path)
    return data_home


def test_defaults(clean_env: Path) -> None:
    settings = Settings()

    expected = clean_env / "briefbot" / "briefbot.db"
    assert settings.database_url == f"sqlite+aiosqlite:///{expected}"
    assert expected.parent.is_dir()  # created on first use, so SQLite can open the file
    assert settings.timezone == "UTC"
    assert settings.max_upload_mb == 10.0
    assert settings.max_upload_bytes == 10 * 1024 * 1024
    assert settings.load_starter_corpus is True
    assert settings.admin_user_ids == []
    assert settings.discord_token is None
    assert settings.slack_mode == "socket"
    assert settings.slack_port == 3000
    assert settings.llm_enabled is False


def test_default_url_without_xdg_uses_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    url = default_database_url()

    expected = tmp_path / "home" / ".local" / "share" / "briefbot" / "briefbot.db"
    assert url == f"sqlite+aiosqlite:///{expected}"


def test_comma_lists_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_USER_IDS", " 1234567890 , U0123ABC,, ")
    monkeypatch.setenv("DISCORD_ADMIN_ROLE_IDS", "42")
    monkeypatch.setenv("DISCORD_GUILD_IDS", "1,2,3")
    monkeypatch.setenv("SLACK_ADMIN_USER_IDS", "U1,U2")

    settings = Settings()

    assert settings.admin_user_ids == ["1234567890", "U0123ABC"]
    assert settings.discord_admin_role_ids == ["42"]
    assert settings.discord_guild_ids == ["1", "2", "3"]
    assert settings.slack_admin_user_ids == ["U1", "U2"]


def test_dotenv_file_is_loaded(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "TIMEZONE=Europe/Berlin\n"
        "MAX_UPLOAD_MB=2.5\n"
        "ADMIN_USER_IDS=a,b\n"
        "DISCORD_TOKEN=dotenv-discord-token\n"
        "LOAD_STARTER_CORPUS=false\n",
        encoding="utf-8",
    )

    settings = Settings()

    assert settings.timezone == "Europe/Berlin"
    assert settings.max_upload_mb == 2.5
    assert settings.admin_user_ids == ["a", "b"]
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "dotenv-discord-token"
    assert settings.load_starter_corpus is False


def test_environment_wins_over_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TIMEZONE=Europe/Berlin\n", encoding="utf-8")
    monkeypatch.setenv("TIMEZONE", "Asia/Tehran")

    assert Settings().timezone == "Asia/Tehran"


def test_empty_values_in_dotenv_are_unset(tmp_path: Path) -> None:
    # Empty values would otherwise fail validation (an empty timezone, number or list).
    (tmp_path / ".env").write_text(
        "DATABASE_URL=\nTIMEZONE=\nMAX_UPLOAD_MB=\nDISCORD_SHARD_COUNT=\n"
        "DISCORD_TOKEN=\nADMIN_USER_IDS=\nSLACK_PORT=\n",
        encoding="utf-8",
    )

    settings = Settings()

    assert settings.database_url == default_database_url()
    assert settings.timezone == "UTC"
    assert settings.max_upload_mb == 10.0
    assert settings.discord_shard_count is None
    assert settings.discord_token is None
    assert settings.admin_user_ids == []
    assert settings.slack_port == 3000


def test_copied_env_example_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")

    settings = Settings()

    assert settings.database_url == default_database_url()
    assert settings.slack_bot_token is None
    assert settings.llm_api_key is None
    assert settings.llm_enabled is False


def _example_variables() -> list[str]:
    names = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, sep, _ = line.partition("=")
            assert sep, f"not a KEY=value line in .env.example: {line!r}"
            names.append(name.strip())
    return names


def test_every_example_variable_is_a_setting() -> None:
    names = _example_variables()
    fields = {name.upper() for name in Settings.model_fields}

    assert len(names) == len(set(names)), "a variable appears twice in .env.example"
    assert sorted(set(names) - fields) == []


def test_every_setting_is_documented_in_env_example() -> None:
    fields = {name.upper() for name in Settings.model_fields}

    assert sorted(fields - set(_example_variables())) == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@db:5432/briefs", "postgresql+asyncpg://u@db:5432/briefs"),
        ("postgres://u:pw@db/briefs", "postgresql+asyncpg://u:pw@db/briefs"),
        ("postgresql+asyncpg://u@db/briefs", "postgresql+asyncpg://u@db/briefs"),
        ("sqlite:///tmp/x.db", "sqlite+aiosqlite:///tmp/x.db"),
        ("sqlite+aiosqlite:////abs/x.db", "sqlite+aiosqlite:////abs/x.db"),
    ],
)
def test_database_urls_are_normalised(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", given)

    assert Settings().database_url == expected
    assert load_settings(database_url=given).database_url == expected


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("TIMEZONE", "Mars/Base", "'Mars/Base' is not an IANA timezone"),
        ("MAX_UPLOAD_MB", "abc", "valid number"),
        ("MAX_UPLOAD_MB", "0", "greater than 0"),
        ("DATABASE_URL", "mysql://x", "use sqlite:///path/to.db or postgresql://"),
        ("SLACK_MODE", "carrier-pigeon", "socket|http"),
        ("SLACK_PORT", "70000", "less than or equal to 65535"),
        ("LOAD_STARTER_CORPUS", "perhaps", "boolean"),
    ],
)
def test_invalid_values_give_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigError) as caught:
        load_settings()

    message = str(caught.value)
    assert message.startswith(f"Invalid configuration: {variable}: ")
    assert fragment in message
    assert "\n" not in message


def test_secrets_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "DISCORD_TOKEN": "discord-secret-3f9a",
        "SLACK_BOT_TOKEN": "xoxb-slack-secret-77c1",
        "SLACK_APP_TOKEN": "xapp-slack-secret-1b2c",
        "SLACK_SIGNING_SECRET": "signing-secret-9d8e",
        "LLM_API_KEY": "sk-llm-secret-5e6f",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)

    settings = Settings()

    shown = repr(settings) + str(settings) + str(settings.model_dump())
    for value in secrets.values():
        assert value not in shown
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == secrets["DISCORD_TOKEN"]


def test_invalid_secret_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    # A value put in the wrong variable must not be printed back in the error.
    monkeypatch.setenv("SLACK_PORT", "xoxb-pasted-token-4242")

    with pytest.raises(ConfigError) as caught:
        load_settings()

    assert "xoxb-pasted-token-4242" not in str(caught.value)
    assert str(caught.value).startswith("Invalid configuration: SLACK_PORT: ")


def test_llm_enabled_needs_url_and_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert Settings().llm_enabled is False
    monkeypatch.setenv("LLM_MODEL", "small")
    assert Settings().llm_enabled is True
