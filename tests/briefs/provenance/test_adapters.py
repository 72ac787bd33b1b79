"""Provenance at the edges: the CLI (list/show --json, reclassify, set-source, ask --exclude),
Slack's `sources:independent` token and both platforms' source lines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import build_cli
from bot.config import Settings
from bot.discord_app.ask_commands import ask_command
from bot.discord_app.render import answer_embed
from bot.slack_app.blocks import citation_line
from bot.slack_app.listeners.commands import split_sources
from briefs.answering.model import Answer, Citation
from briefs.errors import UserError
from briefs.models import Provenance, SourceType
from briefs.services.ask import INDEPENDENT_EXCLUDES

TASNIM = Citation(
    1,
    7,
    "Bushehr",
    dt.date(2024, 6, 1),
    False,
    "Tasnim",
    None,
    "b.md",
    Provenance(SourceType.STATE_MEDIA, "IR"),
)


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)


def cli(*args: str) -> Any:
    result = CliRunner().invoke(build_cli(), [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.usefixtures("isolated")
def test_cli_list_show_set_source_reclassify_and_exclude(db_url: str) -> None:
    briefs = cli("briefs", "list", "--db", db_url)
    by_file = {b["original_filename"]: b for b in briefs}
    ap = by_file["05-rivals-to-treaty-partners.md"]  # outlet "AP (apnews.com)"
    assert (ap["provenance_type"], ap["provenance_country"]) == ("wire", "US")
    alwaght = by_file["04-ties-after-syrian-crisis.md"]
    assert alwaght["provenance_label"] == "Iranian state media"
    unknown = by_file["03-not-natural-allies.md"]
    assert (unknown["provenance_type"], unknown["provenance_country"]) == ("unknown", None)

    shown = cli("briefs", "show", str(alwaght["id"]), "--db", db_url)
    assert shown["provenance_type"] == "state_media"
    assert shown["provenance_override"] is False

    pinned = cli(
        "briefs", "set-source", str(unknown["id"]), "think-tank", "--country", "us", "--db", db_url
    )
    assert (pinned["provenance_type"], pinned["provenance_country"]) == ("think_tank", "US")
    assert pinned["provenance_override"] is True

    report = cli("briefs", "reclassify", "--db", db_url)
    assert report == {"checked": len(briefs), "overridden": 1, "changed": []}

    answer = cli(
        "ask",
        "Why did Russia and Iran cooperate in Syria?",
        "--exclude",
        "state-media",
        "--db",
        db_url,
    )
    cited = {s["id"] for s in answer["sources"]} | {s["id"] for s in answer["closest"]}
    assert alwaght["id"] not in cited
    assert "Excluded sources: state media." in answer["notes"]
    for source in answer["sources"]:
        assert source["provenance_type"] != "state_media"

    bad = CliRunner().invoke(build_cli(), ["ask", "x", "--exclude", "tabloid", "--db", db_url])
    assert bad.exit_code == 2
    assert "unknown source type" in bad.output


def test_slack_sources_token() -> None:
    assert split_sources("Did Russia deliver S-300s? sources:independent") == (
        "Did Russia deliver S-300s?",
        INDEPENDENT_EXCLUDES,
    )
    assert split_sources("Did Russia deliver S-300s? Sources:ALL") == (
        "Did Russia deliver S-300s?",
        frozenset(),
    )
    assert split_sources("What about sources: in Tehran?") == (
        "What about sources: in Tehran?",
        frozenset(),
    )
    with pytest.raises(UserError, match="sources:independent"):
        split_sources("Bushehr? sources:tabloids")


def test_platform_source_lines_show_provenance() -> None:
    assert "Tasnim — Iranian state media" in citation_line(TASNIM)
    answer = Answer("q", "Text [1]", False, (TASNIM,))
    embed = answer_embed(answer)
    assert any("Tasnim — Iranian state media" in (f.value or "") for f in embed.fields)


def test_discord_ask_has_a_sources_choice() -> None:
    param = next(p for p in ask_command.parameters if p.name == "sources")
    assert not param.required
    assert {c.value for c in param.choices} == {"all", "independent"}
