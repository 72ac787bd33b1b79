"""`python -m bot digest …`: show a digest, manage subscriptions, explain a number.

``digest --window week [--end 2025-01-20] [--format md|json|text] [--chart out.png]`` works
directly (the callback runs ``show`` when no subcommand is given).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli._runtime import DbOption, console, run_app
from bot.container import App
from briefs.digest.model import Digest
from briefs.digest.ports import NewSubscription, SubscriptionNotFoundError
from briefs.digest.render_text import render_json, render_markdown, render_plain
from briefs.digest.service import DigestService, render_explanation
from briefs.digest.windows import explicit_window, parse_kind
from storage.digest_store import DigestStore

__all__ = ["app", "digest_service"]

app = typer.Typer(
    help="Cooperation/tension digests: show one, subscribe a channel, explain the numbers.",
    invoke_without_command=True,
)

WindowOpt = Annotated[str, typer.Option("--window", "-w", help="day, week or month.")]
EndOpt = Annotated[
    str | None,
    typer.Option("--end", help="Exclusive end date YYYY-MM-DD (default: today in --tz)."),
]
StartOpt = Annotated[
    str | None, typer.Option("--start", help="Explicit window start (with --end).")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="md, text or json.")]
ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Also write a PNG chart of the last windows.")
]
TzOpt = Annotated[str | None, typer.Option("--tz", help="IANA timezone (default: TIMEZONE).")]
TracksOpt = Annotated[
    str | None, typer.Option("--tracks", help="Comma-separated tracks, e.g. nuclear,military.")
]


def digest_service(app_: App) -> tuple[DigestService, DigestStore]:
    return app_.digests, app_.digest_store


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{name} must be a date like 2025-01-20") from None


def _tracks(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [t.strip() for t in value.split(",") if t.strip()]


def _render(digest: Digest, fmt: str) -> str:
    if fmt == "json":
        return render_json(digest)
    if fmt in ("text", "plain"):
        return render_plain(digest)
    if fmt in ("md", "markdown"):
        return render_markdown(digest)
    raise typer.BadParameter("--format must be md, text or json")


def _show(
    db: str | None,
    window: str,
    end: str | None,
    start: str | None,
    fmt: str,
    chart: Path | None,
    tz: str | None,
    tracks: str | None,
) -> None:
    end_d, start_d = _date(end, "--end"), _date(start, "--start")
    wanted = _tracks(tracks)
    if fmt not in ("json", "text", "plain", "md", "markdown"):
        raise typer.BadParameter("--format must be md, text or json")

    async def work(a: App) -> tuple[Digest, bytes | None]:
        service, _ = digest_service(a)
        zone = tz or a.settings.timezone
        if start_d is not None:
            if end_d is None:
                raise typer.BadParameter("--start needs --end")
            win = explicit_window(start_d, end_d, zone)
            digest = await service.build(win, tracks=wanted, tz=zone)
            png = await service.chart(win, tracks=wanted, tz=zone) if chart else None
        else:
            kind = parse_kind(window)
            digest = await service.build(kind, end_d, tracks=wanted, tz=zone)
            png = await service.chart(digest.window, tracks=wanted, tz=zone) if chart else None
        return digest, png

    digest, png = run_app(db, work)
    sys.stdout.write(_render(digest, fmt))
    if chart is not None and png is not None:
        chart.write_bytes(png)
        console.print(f"chart written to {chart}", style="dim")


@app.callback()
def digest(
    ctx: typer.Context,
    window: WindowOpt = "week",
    end: EndOpt = None,
    start: StartOpt = None,
    fmt: FormatOpt = "md",
    chart: ChartOpt = None,
    tz: TzOpt = None,
    tracks: TracksOpt = None,
    db: DbOption = None,
) -> None:
    """Show the digest for a window when no subcommand is given."""
    if ctx.invoked_subcommand is None:
        _show(db, window, end, start, fmt, chart, tz, tracks)


@app.command()
def show(
    window: WindowOpt = "week",
    end: EndOpt = None,
    start: StartOpt = None,
    fmt: FormatOpt = "md",
    chart: ChartOpt = None,
    tz: TzOpt = None,
    tracks: TracksOpt = None,
    db: DbOption = None,
) -> None:
    """Show the digest of a day, week or month (or --start/--end)."""
    _show(db, window, end, start, fmt, chart, tz, tracks)


@app.command()
def subscribe(
    channel: Annotated[str, typer.Argument(help="Channel id, or a directory for platform file.")],
    platform: Annotated[str, typer.Option(help="discord, slack or file.")] = "file",
    workspace: Annotated[str, typer.Option(help="Guild or team id.")] = "",
    cadence: Annotated[str, typer.Option(help="daily, weekly, monthly or a cron expr.")] = "weekly",
    at: Annotated[str, typer.Option(help="Local time HH:MM.")] = "08:00",
    weekday: Annotated[int | None, typer.Option(help="0=Monday … 6=Sunday (weekly).")] = None,
    day: Annotated[int | None, typer.Option(help="Day of month 1–28, -1 = last.")] = None,
    tz: TzOpt = None,
    tracks: TracksOpt = None,
    quiet: Annotated[
        bool, typer.Option(help="Post only when arrows move or briefs arrive.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Subscribe a channel to scheduled digests."""

    async def work(a: App) -> str:
        _, store = digest_service(a)
        wanted = _tracks(tracks)
        sub = await store.subscriptions.create(
            NewSubscription(
                platform=platform,
                workspace=workspace,
                channel=channel,
                cadence=cadence,
                at=at,
                weekday=weekday if weekday is not None else (0 if cadence == "weekly" else None),
                day_of_month=day if day is not None else (1 if cadence == "monthly" else None),
                timezone=tz or a.settings.timezone,
                tracks=tuple(wanted) if wanted else None,
                quiet=quiet,
                created_by="cli",
            )
        )
        return sub.describe()

    console.print(f"subscribed {run_app(db, work)}")


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List subscriptions."""

    async def work(a: App) -> list[str]:
        _, store = digest_service(a)
        return [s.describe() for s in await store.subscriptions.list()]

    lines = run_app(db, work)
    for line in lines:
        console.print(line)
    if not lines:
        console.print("no subscriptions")


def _toggle(db: str | None, subscription_id: int, action: str) -> None:
    async def work(a: App) -> str:
        _, store = digest_service(a)
        repo = store.subscriptions
        if action == "remove":
            if not await repo.remove(subscription_id):
                raise SubscriptionNotFoundError(f"no subscription #{subscription_id}")
            return f"removed #{subscription_id}"
        sub = await (repo.pause if action == "pause" else repo.resume)(subscription_id)
        if sub is None:
            raise SubscriptionNotFoundError(f"no subscription #{subscription_id}")
        return sub.describe()

    console.print(run_app(db, work))


@app.command()
def pause(subscription_id: int, db: DbOption = None) -> None:
    """Pause a subscription."""
    _toggle(db, subscription_id, "pause")


@app.command()
def resume(subscription_id: int, db: DbOption = None) -> None:
    """Resume a paused subscription."""
    _toggle(db, subscription_id, "resume")


@app.command()
def remove(subscription_id: int, db: DbOption = None) -> None:
    """Remove a subscription (and its claim history)."""
    _toggle(db, subscription_id, "remove")


@app.command()
def explain(
    digest_id: Annotated[str, typer.Argument(help="The id printed at the bottom of a digest.")],
    track: Annotated[str, typer.Argument(help="A track name, or 'overall'.")],
    db: DbOption = None,
) -> None:
    """List the sentences behind a track's numbers in a stored digest."""

    async def work(a: App) -> str:
        service, _ = digest_service(a)
        return render_explanation(await service.explain(digest_id, track))

    sys.stdout.write(run_app(db, work))
