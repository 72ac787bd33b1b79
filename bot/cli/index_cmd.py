"""`index embed`: vectors for every passage still missing one (the `semantic` extra)."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli._runtime import DbOption, JsonOption, console, emit_json, err_console, run_app
from bot.container import App
from bot.semantic import INSTALL_HINT, semantic_installed

__all__ = ["index_app"]

index_app = typer.Typer(help="Maintain the search indexes.", no_args_is_help=True)


@index_app.command("embed")
def index_embed(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Embed every passage that has no vector yet, in batches (needs the semantic extra).

    Runs whether or not SEMANTIC_SEARCH is set, so an existing database can be indexed
    before the setting is switched on.
    """
    if not semantic_installed():
        err_console.print(f"Error: install the semantic extra: {INSTALL_HINT}", markup=False)
        raise typer.Exit(1)

    async def work(app: App) -> tuple[int, str]:
        index = app.embedding_index
        assert index is not None  # opened with semantic=True
        pending = await index.pending()
        columns = (
            TextColumn("Embedding"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, disable=as_json, transient=True) as progress:
            task = progress.add_task("embed", total=pending)
            done = await index.embed_missing(lambda n: progress.advance(task, n))
        return done, index.embedder.model_name

    done, model = run_app(db, work, semantic=True)
    if as_json:
        emit_json({"embedded": done, "model": model})
        return
    console.print(f"Embedded {done} passages with {model}.", markup=False)
