"""`serve`: run the chat adapters and the digest scheduler."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli._runtime import DbOption, run_app

__all__ = ["serve"]


def serve(
    db: DbOption = None,
    digest_dir: Annotated[
        Path, typer.Option(help="Where digests for `file` subscriptions are written.")
    ] = Path("digests"),
) -> None:
    """Run Discord and/or Slack (whichever tokens are set) and the digest scheduler."""
    from bot.serve import serve as serve_app

    run_app(db, lambda app: serve_app(app, digest_dir=digest_dir))
