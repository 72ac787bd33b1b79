"""`ask` and `report gaps`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from bot.cli._runtime import DbOption, JsonOption, cli_actor, console, emit_json, run_app
from bot.container import App
from briefs.answering.model import Answer, Citation
from briefs.errors import UserError
from briefs.gaps import group_gaps
from briefs.services.ask import INDEPENDENT_EXCLUDES, parse_excludes

__all__ = ["answer_json", "ask", "report_app"]

report_app = typer.Typer(help="Reports for the corpus owner.", no_args_is_help=True)


def citation_json(c: Citation) -> dict[str, Any]:
    return {
        "n": c.number,
        "id": c.brief_id,
        "original_filename": c.original_filename,
        "title": c.title,
        "date": c.published.isoformat(),
        "date_inferred": c.date_inferred,
        "outlet": c.outlet,
        "url": c.url,
        "provenance_type": c.provenance.type.value,
        "provenance_country": c.provenance.country,
        "provenance_label": c.provenance.label,
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "as_of": answer.as_of.isoformat() if answer.as_of else None,
        "notes": list(answer.notes),
        "sources": [citation_json(c) for c in answer.sources],
        "closest": [citation_json(c) for c in answer.closest],
        "closest_evidence": answer.closest_evidence,
        "question_id": answer.question_id,
    }


def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="Leave out briefs of a source type (repeatable): state-media, wire, "
            "international-press, think-tank, government, blog, unknown; "
            "or independent (= state-media and government).",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask a question; get a short answer with cited briefs."""
    names = list(exclude or [])
    excluded = frozenset(INDEPENDENT_EXCLUDES if "independent" in names else ())
    try:
        excluded |= parse_excludes(n for n in names if n != "independent")
    except UserError as exc:
        raise typer.BadParameter(exc.message, param_hint="--exclude") from None

    async def work(app: App) -> Answer:
        return await app.ask.ask(question, cli_actor(), exclude=excluded)

    answer = run_app(db, work)
    if as_json:
        emit_json(answer_json(answer))
    else:
        console.print(Markdown(answer.as_markdown()))


@report_app.command("gaps")
def report_gaps(
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 500,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Questions the corpus could not answer, grouped by similar wording."""

    async def work(app: App) -> list[Any]:
        return group_gaps(await app.ask.unanswered(limit))

    groups = run_app(db, work)
    if as_json:
        emit_json(
            [
                {"topic": g.topic, "count": len(g.questions), "questions": g.questions}
                for g in groups
            ]
        )
        return
    if not groups:
        console.print("No unanswered questions logged yet.")
        return
    table = Table("asked", "topic", "examples", title="Questions the corpus could not answer")
    for g in groups:
        table.add_row(str(len(g.questions)), escape(g.topic), escape("\n".join(g.questions[:3])))
    console.print(table)
