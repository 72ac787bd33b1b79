"""`indicators classify|rebuild` and `eval indicators|balance`."""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.progress import Progress
from rich.table import Table

from bot.cli._runtime import DbOption, JsonOption, console, emit_json, err_console, run_app
from bot.cli.eval_cmd import WithOption, eval_app, ingest_extra, temporary_db_url
from bot.config import ConfigError
from bot.container import App, indicator_embedder, indicator_model
from briefs.errors import UserError
from briefs.indicators import (
    LABELS,
    IndicatorModel,
    balance_correlation,
    evaluate_sentences,
)
from briefs.services.indicators import IndicatorService

__all__ = ["indicators_app"]

T = TypeVar("T")

indicators_app = typer.Typer(help="Cooperation/tension indicators.", no_args_is_help=True)


SemanticOption = Annotated[
    bool,
    typer.Option(
        "--semantic",
        help="Average with the embedding head (the semantic extra), as SEMANTIC_INDICATORS=1 does.",
    ),
]


def _configured(build: Callable[[], T]) -> T:
    """`build()`, or one clear line and exit 1 when the semantic extra it needs is missing."""
    try:
        return build()
    except ConfigError as exc:
        err_console.print(f"Error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


def _model(semantic: bool) -> IndicatorModel:
    return _configured(lambda: indicator_model(semantic))


@indicators_app.command("classify")
def classify(as_json: JsonOption = False, semantic: SemanticOption = False) -> None:
    """Classify sentences read one per line on stdin (the previous line is context)."""
    model = _model(semantic)
    previous: str | None = None
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        r = model.classify(text, previous)
        previous = text
        if as_json:
            row = {k: v for k, v in dataclasses.asdict(r).items() if k not in ("start", "end")}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            console.print(
                f"{'dyad' if r.dyad else '----'} {r.label:<11} {r.track:<16} {r.mode:<12} "
                f"{r.score:+5.1f} {r.confidence:.2f}  {text[:80]}",
                markup=False,
            )


@indicators_app.command("rebuild")
def rebuild(db: DbOption = None) -> None:
    """Re-analyse every stored brief with the current model (progress bar)."""

    async def work(app: App) -> int:
        service = IndicatorService(app.database.briefs, app.database.sentences, app.indicators)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Analysing with {app.indicators.version}", total=None)
            return await service.rebuild(
                on_start=lambda n: progress.update(task, total=n),
                on_progress=lambda: progress.advance(task),
            )

    count = run_app(db, work, starter=False)
    console.print(f"Re-analysed {count} brief(s).")


@indicators_app.command("train-head")
def train_head(
    data: Annotated[
        Path, typer.Option(exists=True, dir_okay=False, help="Labelled sentences (JSONL).")
    ] = Path("eval/dev/sentences.jsonl"),
    out: Annotated[
        Path | None, typer.Option(help="Write the head here (default: print figures only).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Fit the embedding head on the train split (needs the semantic and train extras).

    Ship the result with `--out briefs/indicators/embedding_head.json`.
    """
    try:
        rows = _rows(data, ("text", "label"), "train")
        from briefs.indicators.train_head import fit_head
    except UserError as exc:
        raise _fail(exc) from None
    except ImportError:
        err_console.print("Error: install the train extra: pip install -e '.[train]'")
        raise typer.Exit(1) from None
    embedder = _configured(indicator_embedder)
    vectors: list[list[float]] = []
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("Embedding", total=len(rows))
        for start in range(0, len(rows), 64):
            batch = [str(r["text"]) for r in rows[start : start + 64]]
            vectors += embedder.embed(batch)
            progress.advance(task, len(batch))
    fit = fit_head(rows, vectors, embedder=embedder.model_name)
    if out is not None:
        out.write_text(json.dumps(fit.head.to_json(), separators=(",", ":")) + "\n")
    if as_json:
        cv = {str(w): f for w, f in fit.cv_macro_f1.items()}
        emit_json({"version": fit.head.version, "weight": fit.head.weight, "cv_macro_f1": cv})
        return
    table = Table("head weight", "macro-F1 (5-fold CV)", title=f"train-head on {len(rows)} rows")
    for weight, f1 in fit.cv_macro_f1.items():
        mark = " ←" if weight == fit.head.weight else ""
        table.add_row(f"{weight:.1f}{mark}", f"{f1:.3f}")
    console.print(table)
    console.print(
        f"head {fit.head.version} (weight {fit.head.weight})"
        + (f" written to {out}" if out else " (not written)")
    )


def _rows(path: Path, required: tuple[str, ...], split: str | None = None) -> list[dict[str, Any]]:
    """JSON lines with the `required` keys (optionally one split); a clear error otherwise."""
    try:
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: not JSON lines ({exc})") from None
    need = UserError(f"{path}: need rows with {' and '.join(map(repr, required))}.")
    if any(not isinstance(r, dict) for r in rows):
        raise need
    if split:
        rows = [r for r in rows if r.get("split", split) == split]
    if not rows or any(key not in r for r in rows for key in required):
        raise need
    return rows


def _fail(exc: UserError) -> typer.Exit:
    err_console.print(f"Error: {exc.message}", markup=False, soft_wrap=True)
    return typer.Exit(1)


@eval_app.command("indicators")
def eval_indicators(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    split: Annotated[
        str | None, typer.Option(help="Only rows of this split (e.g. test); default all.")
    ] = None,
    semantic: SemanticOption = False,
    threads: Annotated[
        int | None,
        typer.Option(min=1, help="With --semantic: CPU threads for the embedder (default all)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Accuracy, macro-F1, per-class P/R, confusion matrix, track accuracy, ms/sentence."""
    try:
        rows = _rows(file, ("text", "label"), split)
    except UserError as exc:
        raise _fail(exc) from None
    model = _model(semantic)
    if semantic and threads:
        from bot.semantic import limit_threads

        limit_threads(threads)
    report = evaluate_sentences(rows, model)
    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    console.print(
        f"{report.n} sentences · accuracy {report.accuracy:.3f} · macro-F1 {report.macro_f1:.3f}"
        f" · track accuracy {report.track_accuracy or 0:.3f} (n={report.track_n})"
        f" · {report.ms_per_sentence_p50:.2f} / {report.ms_per_sentence_p95:.2f} ms p50/p95"
        f" one at a time, {report.ms_per_sentence_in_docs:.2f} ms a sentence in whole docs"
    )
    table = Table("gold \\ predicted", *LABELS, "precision", "recall", "F1")
    for label, row in zip(LABELS, report.confusion, strict=True):
        table.add_row(
            label,
            *map(str, row),
            f"{report.precision[label]:.3f}",
            f"{report.recall[label]:.3f}",
            f"{report.f1[label]:.3f}",
        )
    console.print(table)


@eval_app.command("balance")
def eval_balance(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    db: DbOption = None,
    with_: WithOption = None,
    as_json: JsonOption = False,
) -> None:
    """Spearman/Pearson/MAE of brief balances vs `{"doc", "balance"}` rows (by file name),
    and each brief's labelled and computed balance."""
    try:
        gold = {str(r["doc"]): float(r["balance"]) for r in _rows(file, ("doc", "balance"))}
    except (UserError, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, UserError) else f"{file}: {exc}"
        raise _fail(UserError(message)) from None

    async def work(app: App) -> dict[str, float | None]:
        await ingest_extra(app, with_ or [])
        briefs = await app.catalog.list(limit=500)
        return {b.original_filename: b.balance.balance for b in briefs}

    with tempfile.TemporaryDirectory() as folder:
        predicted = run_app(db or temporary_db_url(folder), work)
    rows = [(doc, value, predicted.get(doc)) for doc, value in gold.items()]
    report = balance_correlation([(g, p) for _, g, p in rows if p is not None])
    missing = [doc for doc in gold if doc not in predicted]
    if as_json:
        per_doc = [{"doc": d, "gold": g, "predicted": p} for d, g, p in rows]
        emit_json(dataclasses.asdict(report) | {"missing": missing, "rows": per_doc})
        return
    table = Table("brief", "labelled", "computed", "difference")
    for doc, value, got in sorted(rows, key=lambda r: -r[1]):
        table.add_row(
            doc, f"{value:+.2f}", _signed(got), _signed(None if got is None else got - value)
        )
    console.print(table)
    console.print(
        f"{report.n} briefs · Spearman {fmt(report.spearman)} · Pearson {fmt(report.pearson)}"
        f" · MAE {fmt(report.mae)}"
    )
    if missing:
        console.print(f"Not found in the database: {', '.join(missing)}")


def _signed(value: float | None) -> str:
    """A balance for the table; a brief with no dyad sentences has none."""
    return "none" if value is None else f"{value:+.2f}"


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
