"""`python -m bot …`: the command-line adapter (typer + rich)."""

from __future__ import annotations

import logging
import os

import typer

from bot.cli.ask_cmd import ask, report_app
from bot.cli.briefs_cmd import briefs_app, corpus_app, db_app, ingest
from bot.cli.digest_cmd import app as digest_app
from bot.cli.eval_cmd import eval_app
from bot.cli.index_cmd import index_app
from bot.cli.indicators_cmd import indicators_app
from bot.cli.serve_cmd import serve
from bot.discord_app.cli import app as discord_app
from bot.observability import configure_logging

__all__ = ["build_cli"]


def build_cli() -> typer.Typer:
    app = typer.Typer(
        help="Russia–Iran briefing bot: cited answers and cooperation/tension digests.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.command()(ask)
    app.command()(ingest)
    app.add_typer(briefs_app, name="briefs")
    app.add_typer(corpus_app, name="corpus")
    app.add_typer(db_app, name="db")
    app.add_typer(report_app, name="report")
    app.add_typer(eval_app, name="eval")
    app.add_typer(index_app, name="index")
    app.add_typer(indicators_app, name="indicators")
    app.add_typer(digest_app, name="digest")
    app.add_typer(discord_app, name="discord")
    app.command()(serve)
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    configure_logging(os.environ.get("LOG_FORMAT", "text"))
    return app
