"""`ingest`, `briefs list|show|delete|restore|reclassify|set-source`, `corpus`, `db`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from bot.cli._runtime import DbOption, JsonOption, cli_actor, console, emit_json, run_app
from bot.container import App, load_starter_corpus
from briefs.errors import UserError
from briefs.ingestion import ACCEPTED_EXTENSIONS, read_file
from briefs.models import Brief
from briefs.services import IngestOutcome, Overrides, ReclassifyReport, parse_provenance

__all__ = ["briefs_app", "corpus_app", "db_app", "ingest"]

briefs_app = typer.Typer(
    help="List, show, delete, restore and classify stored briefs.", no_args_is_help=True
)
corpus_app = typer.Typer(help="The bundled starter corpus.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def brief_json(brief: Brief) -> dict[str, Any]:
    return {
        "id": brief.id,
        "title": brief.title,
        "original_filename": brief.original_filename,
        "date": brief.published.isoformat(),
        "date_origin": brief.date_origin.value,
        "outlet": brief.outlet,
        "source_url": brief.source_url,
        "version": brief.version,
        "supersedes_id": brief.supersedes_id,
        "deleted": brief.deleted,
        "ingested_at": brief.ingested_at.isoformat(),
        "balance": brief.balance.balance,
        "top_cooperation": list(brief.balance.top_cooperation),
        "top_tension": list(brief.balance.top_tension),
        "provenance_type": brief.provenance.type.value,
        "provenance_country": brief.provenance.country,
        "provenance_label": brief.provenance.label,
        "provenance_override": brief.provenance.overridden,
    }


def _progress(label: str, *, quiet: bool) -> Progress:
    """A transient "label ━━━━ done/total" bar on the console; none with ``quiet`` (--json)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )


def _collect(paths: list[Path]) -> tuple[list[Path], list[IngestOutcome]]:
    files: list[Path] = []
    missing: list[IngestOutcome] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(IngestOutcome(str(path), "rejected", "No such file or folder."))
    return files, missing


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    force: Annotated[bool, typer.Option(help="Store near-duplicates as separate briefs.")] = False,
    source_type: Annotated[
        str | None,
        typer.Option(
            "--source-type",
            help="Set the provenance instead of the table's: state-media, wire, "
            "international-press, think-tank, government, blog, unknown.",
        ),
    ] = None,
    source_country: Annotated[
        str | None, typer.Option("--source-country", help="ISO-2 country with --source-type.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest briefs (.txt .md .html .pdf); duplicates are reported, never stored twice."""
    files, outcomes = _collect(paths)
    overrides = None
    if source_type is not None:
        try:
            overrides = Overrides(provenance=parse_provenance(source_type, source_country))
        except UserError as exc:
            raise typer.BadParameter(exc.message, param_hint="--source-type") from None

    async def work(app: App) -> list[IngestOutcome]:
        actor = cli_actor()
        with _progress("{task.description}", quiet=as_json) as progress:
            tasks: dict[str, TaskID] = {}

            def step(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done)

            def loader(path: Path) -> Callable[[], bytes]:
                return lambda: read_file(path, max_bytes=app.ingest.max_bytes)

            # Read and parse each file, drop lines that recur across several files of the
            # batch (site furniture), then store several briefs per transaction.
            outcomes.extend(
                await app.ingest.ingest_files(
                    [(path.name, loader(path)) for path in files],
                    actor,
                    force=force,
                    overrides=overrides,
                    progress=step,
                )
            )
        return outcomes

    results = run_app(db, work)
    if as_json:
        emit_json(
            [
                {
                    "file": o.filename,
                    "status": o.status,
                    "message": o.message,
                    "brief_id": o.brief.id if o.brief else None,
                    "related_id": o.related_id,
                }
                for o in results
            ]
        )
    else:
        table = Table("file", "result", "detail", title="Ingest summary")
        colour = {"added": "green", "new_version": "cyan", "duplicate": "yellow"}
        for o in results:
            table.add_row(
                escape(o.filename),
                f"[{colour.get(o.status, 'red')}]{o.status}[/]",
                escape(o.message),
            )
        console.print(table)
        counts = {
            s: sum(o.status == s for o in results) for s in dict.fromkeys(o.status for o in results)
        }
        console.print(", ".join(f"{n} {s}" for s, n in counts.items()) or "No files found.")
        if not files and not outcomes:
            console.print(f"Accepted types: {', '.join(ACCEPTED_EXTENSIONS)}")
    if any(o.status == "rejected" for o in results):
        raise typer.Exit(1)


@briefs_app.command("list")
def list_briefs(
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    all_: Annotated[bool, typer.Option("--all", help="Include deleted briefs.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List briefs, newest first."""
    briefs = run_app(db, lambda app: app.catalog.list(limit=limit, include_deleted=all_))
    if as_json:
        emit_json([brief_json(b) for b in briefs])
        return
    table = Table("id", "date", "title", "outlet", "source type", "balance", "v")
    for b in briefs:
        balance = "—" if b.balance.balance is None else f"{b.balance.balance:+.2f}"
        title = escape(b.title) + (" [red](deleted)[/]" if b.deleted else "")
        date = b.published.isoformat() + ("*" if b.date_origin.inferred else "")
        kind = b.provenance.label + ("*" if b.provenance.overridden else "")
        table.add_row(str(b.id), date, title, escape(b.outlet or ""), kind, balance, str(b.version))
    console.print(table)
    console.print("* date inferred · source type* set by an admin")


@briefs_app.command("show")
def show_brief(brief_id: int, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one brief: metadata, balance, top tracks and text."""
    detail = run_app(db, lambda app: app.catalog.show(brief_id))
    b = detail.brief
    if as_json:
        emit_json(
            brief_json(b)
            | {
                "body": detail.body,
                "passages": detail.passages,
                "dyad_sentences": detail.dyad_sentences,
                "labels": detail.label_counts,
            }
        )
        return
    console.print(
        f"[bold]#{b.id} {escape(b.title)}[/bold]" + (" [red](deleted)[/]" if b.deleted else "")
    )
    date = b.published.isoformat() + (" (date inferred)" if b.date_origin.inferred else "")
    console.print(
        f"{date} · {b.outlet or 'unknown outlet'} · {b.source_url or 'no link'}", markup=False
    )
    by_hand = " (set by an admin)" if b.provenance.overridden else ""
    console.print(f"Source type: {b.provenance.label}{by_hand}", markup=False)
    console.print(
        f"file {b.original_filename} · version {b.version} · uploaded by {b.uploaded_by}",
        markup=False,
    )
    if b.balance.balance is not None:
        console.print(
            f"Balance {b.balance.balance:+.2f}"
            f" · cooperation: {', '.join(b.balance.top_cooperation) or '—'}"
            f" · tension: {', '.join(b.balance.top_tension) or '—'}"
        )
    console.print(f"{detail.dyad_sentences} Russia–Iran sentences: {detail.label_counts}\n")
    console.print(detail.body, markup=False)


def _toggle(brief_id: int, db: str | None, delete: bool, as_json: bool) -> None:
    actor = cli_actor()

    async def work(app: App) -> Brief:
        if delete:
            return await app.catalog.delete(brief_id, actor)
        return await app.catalog.restore(brief_id, actor)

    brief = run_app(db, work)
    if as_json:
        emit_json(brief_json(brief))
    else:
        console.print(
            f"Brief #{brief.id} {'deleted' if delete else 'restored'}: {brief.title}", markup=False
        )


@briefs_app.command("delete")
def delete_brief(brief_id: int, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Hide a brief from answers and digests (restorable)."""
    _toggle(brief_id, db, True, as_json)


@briefs_app.command("restore")
def restore_brief(brief_id: int, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Bring a deleted brief back."""
    _toggle(brief_id, db, False, as_json)


@briefs_app.command("reclassify")
def reclassify_briefs(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Re-derive every brief's source type from the provenance table (admin overrides kept)."""
    actor = cli_actor()

    async def work(app: App) -> ReclassifyReport:
        with _progress("Reclassifying", quiet=as_json) as progress:
            task = progress.add_task("reclassify", total=None)

            def step(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            return await app.provenance.reclassify(actor, progress=step)

    report = run_app(db, work)
    if as_json:
        emit_json(
            {
                "checked": report.checked,
                "overridden": report.overridden,
                "changed": [
                    {
                        "id": brief_id,
                        "from": {"type": old.type.value, "country": old.country},
                        "to": {"type": new.type.value, "country": new.country},
                    }
                    for brief_id, old, new in report.changed
                ],
            }
        )
        return
    for brief_id, old, new in report.changed:
        console.print(f"#{brief_id}: {old.label} → {new.label}", markup=False)
    console.print(
        f"{report.checked} briefs checked, {len(report.changed)} changed, "
        f"{report.overridden} set by an admin left as they are."
    )


@briefs_app.command("set-source")
def set_source(
    brief_id: int,
    source_type: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="state-media, wire, international-press, think-tank, government, blog, "
            "unknown — or auto to drop the override and use the table again.",
        ),
    ],
    country: Annotated[
        str | None, typer.Option("--country", help="ISO-2 country, e.g. IR or RU.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set a brief's provenance by hand (an admin override that reclassify keeps)."""
    actor = cli_actor()
    try:
        provenance = (
            None if source_type.lower() == "auto" else parse_provenance(source_type, country)
        )
    except UserError as exc:
        raise typer.BadParameter(exc.message, param_hint="TYPE") from None

    async def work(app: App) -> Brief:
        return await app.provenance.set_source(brief_id, provenance, actor)

    brief = run_app(db, work)
    if as_json:
        emit_json(brief_json(brief))
    else:
        how = "set by an admin" if brief.provenance.overridden else "from the table"
        console.print(f"Brief #{brief.id}: {brief.provenance.label} ({how})", markup=False)


@corpus_app.command("load")
def corpus_load(db: DbOption = None, as_json: JsonOption = False) -> None:
    """(Re)load the bundled starter corpus; briefs already present are skipped."""
    added = run_app(db, load_starter_corpus, starter=False)
    if as_json:
        emit_json({"added": added})
    else:
        console.print(f"Starter corpus: {added} brief(s) added.")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Run database migrations to the newest schema (also done at every start)."""

    async def work(app: App) -> int:
        return await app.database.briefs.count(include_deleted=True)

    count = run_app(db, work, starter=False)
    console.print(f"Database is at the newest schema ({count} briefs).")
