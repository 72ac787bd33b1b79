"""`eval qa` (answers); indicator evaluations are added next to it."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from bot.cli._runtime import (
    DbOption,
    JsonOption,
    cli_actor,
    console,
    emit_json,
    err_console,
    run_app,
)
from bot.container import App, lexical_ask
from bot.semantic import INSTALL_HINT, semantic_installed
from briefs.errors import UserError
from briefs.evaluation import QaReport, evaluate_qa, load_qa_cases
from briefs.ingestion import read_file

__all__ = ["WithOption", "eval_app", "ingest_extra", "temporary_db_url"]

eval_app = typer.Typer(help="Measure quality on labelled sets.", no_args_is_help=True)

WithOption = Annotated[
    list[Path] | None,
    typer.Option("--with", help="Extra files to ingest into the evaluation database first."),
]


async def ingest_extra(app: App, paths: list[Path]) -> None:
    for path in paths:
        data = read_file(path, max_bytes=app.ingest.max_bytes)
        await app.ingest.ingest(path.name, data, cli_actor())


def temporary_db_url(folder: str) -> str:
    return f"sqlite+aiosqlite:///{Path(folder) / 'eval.db'}"


@eval_app.command("qa")
def eval_qa(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="QA cases (JSONL).")],
    k: Annotated[int, typer.Option(min=1, max=20)] = 3,
    db: DbOption = None,
    with_: WithOption = None,
    show_failures: Annotated[bool, typer.Option("--failures")] = False,
    abstain_threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0, max=1.0, help="Override the abstention model's threshold (trade-off)."
        ),
    ] = None,
    semantic: Annotated[
        bool,
        typer.Option(
            "--semantic", help="Also run the BM25 + embeddings hybrid (the semantic extra)."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Recall@1/@k, keyword hits, abstention and latency vs a BM25-only baseline.

    Without --db it runs on a fresh temporary database holding the starter corpus
    (plus any --with files), so results are reproducible. With --semantic the database
    gets embeddings first and the hybrid is reported as "ours+semantic".
    """
    try:
        cases = load_qa_cases(file)
    except UserError as exc:  # a malformed file: one clear line, not a traceback
        err_console.print(f"Error: {exc.message}", markup=False)
        raise typer.Exit(1) from None
    if semantic and not semantic_installed():
        err_console.print(
            f"Error: --semantic needs the semantic extra: {INSTALL_HINT}", markup=False
        )
        raise typer.Exit(1)

    async def work(app: App) -> QaReport:
        await ingest_extra(app, with_ or [])
        if abstain_threshold is not None:
            app.ask.policy = dataclasses.replace(
                app.ask.policy, abstain_threshold=abstain_threshold
            )
        ours, hybrid = app.ask, None
        if app.embedding_index is not None:  # --semantic
            await app.embedding_index.embed_missing()
            ours, hybrid = lexical_ask(app), app.ask
        with Progress(console=console, disable=as_json, transient=True) as progress:
            task = progress.add_task("Asking", total=len(cases))
            return await evaluate_qa(
                cases,
                ours,
                app.database.search,
                k=k,
                on_progress=lambda: progress.advance(task),
                semantic=hybrid,
            )

    with tempfile.TemporaryDirectory() as folder:
        report = run_app(
            db or temporary_db_url(folder),
            work,
            starter=None if db else True,
            semantic=semantic,
        )
    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    table = Table("metric", *[m.name for m in report.methods], title=f"eval qa {file}")
    rows = [
        ("recall@1", "recall_at_1"),
        (f"gold in top {report.k}", "recall_at_k"),
        ("answer keywords", "keyword_hit_rate"),
        ("unanswerable refused", "abstain_recall"),
        ("abstain precision", "abstain_precision"),
        ("answerable answered", "answered_rate"),
        ("latency p50 ms", "latency_p50_ms"),
        ("latency p95 ms", "latency_p95_ms"),
    ]
    for label, attr in rows:
        table.add_row(label, *[f"{getattr(m, attr):.3f}" for m in report.methods])
    console.print(table)
    console.print(
        f"{report.n} questions: {report.answerable} answerable, {report.unanswerable} unanswerable"
    )
    if show_failures:
        for line in report.methods[0].failures:
            console.print(f"  {line}", markup=False)


@eval_app.command("train-abstention")
def eval_train_abstention(
    files: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help="QA cases (JSONL).")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write the model here (default: print it only).")
    ] = None,
    c: Annotated[float, typer.Option(min=0.001, help="Inverse regularisation.")] = 10.0,
    as_json: JsonOption = False,
) -> None:
    """Fit the abstention model on labelled questions (needs the `train` extra).

    Runs every question through the ask pipeline on a fresh database holding the starter
    corpus, fits a logistic regression of "unanswerable" on the signals, and picks the
    threshold on 5-fold cross-validated probabilities (5 repeats). Ship the result with
    `--out briefs/answering/abstention.json`.
    """
    try:
        cases = [case for file in files for case in load_qa_cases(file)]
        from briefs.answering.train_abstention import fit
    except UserError as exc:
        err_console.print(f"Error: {exc.message}", markup=False)
        raise typer.Exit(1) from None
    except ImportError:
        err_console.print("Error: install the train extra: pip install -e '.[train]'")
        raise typer.Exit(1) from None

    async def work(app: App) -> list[tuple[dict[str, float], bool]]:
        rows = []
        for case in cases:
            try:
                signals = await app.ask.abstention_signals(case.question)
            except UserError:
                continue
            if signals is not None:  # nothing matched at all: the bot abstains regardless
                rows.append((signals, not case.answerable))
        return rows

    with tempfile.TemporaryDirectory() as folder:
        rows = run_app(temporary_db_url(folder), work, starter=True)
    try:
        result = fit([r[0] for r in rows], [r[1] for r in rows], c=c)
    except ValueError as exc:
        err_console.print(f"Error: {exc}", markup=False)
        raise typer.Exit(1) from None
    model = result.model.to_json()
    if out is not None:
        out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    if as_json:
        emit_json({"model": model, "cv": [dataclasses.asdict(p) for p in result.cv]})
        return
    table = Table("threshold", "answered (CV)", "refused (CV)", title="abstention trade-off")
    for point in result.cv:
        mark = " ←" if point == result.chosen else ""
        table.add_row(
            f"{point.threshold:.2f}{mark}", f"{point.answered:.3f}", f"{point.refused:.3f}"
        )
    console.print(table)
    console.print(
        f"{result.questions} questions ({result.unanswerable} unanswerable); "
        f"model {result.model.version}" + (f" written to {out}" if out else " (not written)")
    )
