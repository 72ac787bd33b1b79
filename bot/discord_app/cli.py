"""`python -m bot discord …`: sync the slash commands, or run the Discord bot alone."""

from __future__ import annotations

import asyncio

import typer

from bot.container import open_app

__all__ = ["app"]

app = typer.Typer(help="Discord adapter: sync slash commands, run the bot.", no_args_is_help=True)


async def _sync(guild: int | None) -> int:
    from bot.discord_app.client import _token, build_client, sync_commands

    async with open_app(starter=False) as core:
        client = build_client(core)
        async with client:
            await client.login(_token(core))
            synced = await sync_commands(client, guild)
    return len(synced)


@app.command("sync")
def sync(
    guild: int | None = typer.Option(
        None, "--guild", help="Sync to one guild only (instant; for testing)"
    ),
) -> None:
    """Register the slash commands with Discord (rate limited: run after command changes)."""
    try:
        count = asyncio.run(_sync(guild))
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    where = f"guild {guild}" if guild else "all guilds (global; may take up to an hour)"
    typer.echo(f"Synced {count} commands to {where}.")


@app.command("run")
def run() -> None:
    """Run only the Discord bot (the `serve` command runs everything)."""
    from bot.discord_app.client import run_discord

    async def main() -> None:
        async with open_app() as core:
            await run_discord(core)

    asyncio.run(main())
