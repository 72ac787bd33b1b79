"""`/indicators [track] [window]`: the balance chart over recent windows and a short table.

The table is the per-track balance of the latest window (as `/digest now` computes it, via
``briefs.digest``); the chart is ``DigestService.history`` over the last windows. The embed
builder is a pure function (``indicators_embed``), apart from the command that sends it.
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands

from bot.discord_app._reply import send
from bot.discord_app.digest_commands import chart_file, deferred_digests
from bot.discord_app.render import COOPERATION, LIMITS, NEUTRAL, TENSION, clip, fit_embed
from briefs.digest.model import Digest, TrackRow, fmt_balance, track_title
from briefs.digest.service import BalanceHistory
from briefs.indicators import TRACKS

__all__ = ["INDICATORS_CHART", "indicators_command", "indicators_embed", "indicators_table"]

INDICATORS_CHART = "indicators.png"
HISTORY_WINDOWS = 8
_NAME_WIDTH = 18

TRACK_CHOICES = [app_commands.Choice(name=track_title(t), value=t) for t in TRACKS]


def _row(row: TrackRow) -> str:
    name = row.title if len(row.title) <= _NAME_WIDTH else row.title[: _NAME_WIDTH - 1] + "…"
    delta = "" if row.delta is None else fmt_balance(row.delta)
    counts = f"{row.cooperation}/{row.tension}"
    balance = fmt_balance(row.balance)
    return f"{row.direction.arrow} {name:<{_NAME_WIDTH}} {balance:>5} {delta:>5} {counts:>7}"


def indicators_table(digest: Digest, *, max_rows: int = 15) -> str:
    """A monospace table: overall first, then each track with evidence (or a short note)."""
    header = f"  {'track':<{_NAME_WIDTH}} {'bal.':>5} {'Δ':>5} {'co/te':>7}"
    rows = [digest.overall, *digest.tracks]
    shown = [_row(r) for r in rows[: max_rows + 1]]
    more = len(rows) - len(shown)
    lines = [header, *shown]
    if more > 0:
        lines.append(f"… {more} more track{'s' if more != 1 else ''}")
    return "```\n" + "\n".join(lines) + "\n```"


def indicators_embed(
    digest: Digest,
    history: BalanceHistory,
    *,
    track: str | None = None,
    chart_filename: str | None = INDICATORS_CHART,
) -> discord.Embed:
    """Title, the balance table of the window, how to read it, the chart as the image."""
    scope = track_title(track) if track else "all tracks"
    moved = digest.overall.direction.value
    colour = COOPERATION if moved == "up" else TENSION if moved == "down" else NEUTRAL
    embed = discord.Embed(
        title=clip(f"Russia–Iran balance · {scope} · {digest.window.label}", LIMITS["title"]),
        colour=colour,
    )
    if digest.overall.total == 0 and not digest.tracks:
        table = "No cooperation or tension evidence in this window."
    else:
        table = indicators_table(digest)
    embed.description = clip(table, LIMITS["description"])
    points = len(history.windows)
    embed.add_field(
        name="How to read it",
        value=(
            "Balance = (cooperation − tension) / both, from −1 (tension) to +1 (cooperation); "
            "Δ versus the previous window; co/te = sentence counts. "
            f"The chart shows the last {points} windows."
        ),
        inline=False,
    )
    embed.set_footer(
        text=clip(
            f"As of {digest.generated_at:%Y-%m-%d %H:%M} UTC · /digest now for the story", 200
        )
    )
    if chart_filename:
        embed.set_image(url=f"attachment://{chart_filename}")
    return fit_embed(embed)


@app_commands.command(
    name="indicators", description="Cooperation vs tension balance per track, with a chart"
)
@app_commands.describe(
    track="One track (default: all)",
    window="Period of each point (default: week)",
    public="Post in the channel",
)
@app_commands.choices(track=TRACK_CHOICES)
async def indicators_command(
    interaction: discord.Interaction,
    track: app_commands.Choice[str] | None = None,
    window: Literal["day", "week", "month"] = "week",
    public: bool = False,
) -> None:
    digests, tz = await deferred_digests(interaction, public=public)
    tracks = [track.value] if track is not None else None
    digest = await digests.build(window, tracks=tracks, tz=tz, save=False)
    history = await digests.history(window, tz=tz, tracks=tracks, count=HISTORY_WINDOWS)
    await send(
        interaction,
        embeds=[indicators_embed(digest, history, track=track.value if track else None)],
        files=[await chart_file(history, INDICATORS_CHART)],
        ephemeral=not public,
    )
