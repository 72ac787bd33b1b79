"""Typed settings from the environment / `.env`. Secrets are `SecretStr` and never logged."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["ConfigError", "Settings", "default_database_url", "load_settings"]

CommaList = Annotated[list[str], NoDecode]


def default_database_url() -> str:
    """A SQLite file in the per-user data directory (XDG), created on first use."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    path = Path(base) / "briefbot" / "briefbot.db"
    # Created on first use; if that fails the store reports the path with one clear line.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{path}"


class ConfigError(Exception):
    """Invalid configuration; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        hide_input_in_errors=True,
    )

    database_url: str = Field(default_factory=default_database_url)
    timezone: str = "UTC"
    log_level: str = "INFO"
    log_format: str = Field(default="text", pattern="^(text|json)$")
    # `serve`'s /healthz and /metrics server (0 disables it); independent of Slack HTTP mode
    metrics_port: int = Field(default=9100, ge=0, le=65535)
    metrics_host: str = "0.0.0.0"  # noqa: S104 (load balancers and Prometheus reach it)
    max_upload_mb: float = Field(default=10.0, gt=0, le=100)
    load_starter_corpus: bool = True

    admin_user_ids: CommaList = Field(default_factory=list)

    discord_token: SecretStr | None = None
    discord_admin_role_ids: CommaList = Field(default_factory=list)
    discord_guild_ids: CommaList = Field(default_factory=list)
    discord_shard_count: int | None = Field(default=None, ge=1)

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_admin_user_ids: CommaList = Field(default_factory=list)
    slack_admin_usergroup_id: str | None = None
    slack_mode: str = Field(default="socket", pattern="^(socket|http)$")
    slack_port: int = Field(default=3000, ge=1, le=65535)
    # OAuth (multi-workspace installs, HTTP mode): both set → installations in the database
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_redirect_uri: str | None = None  # default: derived by Slack from the app config

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=20.0, gt=0, le=300)

    digest_grace_hours: float = Field(default=6.0, ge=0, le=72)

    # an admin's JSON file extending/overriding briefs/provenance/sources.json
    provenance_table: Path | None = None

    # BM25 fused with sentence embeddings (needs the `semantic` extra)
    semantic_search: bool = False
    # indicator labels averaged with an embedding head (needs the `semantic` extra; stored
    # rows keep the model version they were made with: `indicators rebuild` after a switch)
    semantic_indicators: bool = False

    @field_validator(
        "admin_user_ids",
        "discord_admin_role_ids",
        "discord_guild_ids",
        "slack_admin_user_ids",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA timezone such as Europe/Berlin") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_url(cls, value: str) -> str:
        if value.startswith("sqlite:///"):
            value = "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        elif value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite:///", "postgresql+asyncpg://")):
            raise ValueError("use sqlite:///path/to.db or postgresql://user@host:5432/db")
        return value

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """repr()/str() with the database URL's password masked (tokens are SecretStr)."""
        for name, value in super().__repr_args__():
            if name == "database_url" and isinstance(value, str):
                value = _mask_url_password(value)
            yield name, value

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def slack_oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)


def _mask_url_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning a validation error into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"Invalid configuration: {name}: {reason}") from None
