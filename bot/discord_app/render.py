"""Answers, briefs, upload previews and digests as Discord embeds — always within Discord's limits.

Every builder ends in `fit_embed` / `fit_message`, which enforce the limits from
PLATFORMS.md (title 256, description 4096, ≤25 fields, field name 256 / value 1024,
footer 2048, author 256, all embeds together 6000, ≤10 embeds; content 2000), cutting
with "…" and a "more" hint rather than letting Discord reject a reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import discord

from briefs.answering.model import NOT_COVERED, Answer, Citation
from briefs.digest.model import Digest
from briefs.digest.render_text import digest_sections
from briefs.models import Brief, SearchHit
from briefs.services.catalog import BriefDetail
from briefs.services.ingest import PreparedBrief

__all__ = [
    "LIMITS",
    "answer_embed",
    "brief_embed",
    "brief_list_embed",
    "clip",
    "closest_embed",
    "digest_embeds",
    "fit_content",
    "fit_embed",
    "fit_message",
    "neutralize",
    "preview_embed",
    "search_embed",
]

LIMITS = {
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field_name": 256,
    "field_value": 1024,
    "footer": 2048,
    "author": 256,
    "total": 6000,
    "embeds": 10,
    "content": 2000,
}

COOPERATION = discord.Colour.green()
TENSION = discord.Colour.red()
NEUTRAL = discord.Colour.blurple()
ABSTAIN = discord.Colour.light_grey()

_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")
# A masked link `[label](https://…)` would show "label" and hide where it points.
_MASKED_LINK = re.compile(r"\](?=\s*\(\s*<?\s*[a-z][a-z0-9+.-]*:)", re.I)


def neutralize(text: str) -> str:
    """Break `@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>` so they never render as pings,
    and masked links `[label](url)` so they render as plain text with the real URL."""
    text = _MENTION.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], text)
    return _MASKED_LINK.sub("]\u200b", text)


def clip(text: str, limit: int, hint: str = "") -> str:
    """`text` cut to `limit` characters, ending in "…" plus an optional hint when cut."""
    if len(text) <= limit:
        return text
    tail = "…" + hint
    if len(tail) >= limit:
        return "…"[:limit]
    return text[: limit - len(tail)].rstrip() + tail


def fit_content(text: str) -> str:
    return clip(neutralize(text), LIMITS["content"], " (more in the full view)")


def _copy(embed: discord.Embed) -> discord.Embed:
    return discord.Embed.from_dict(embed.to_dict())


def fit_embed(embed: discord.Embed, total: int = LIMITS["total"]) -> discord.Embed:
    """A copy of `embed` that respects every per-embed limit and `total` characters."""
    e = _copy(embed)
    if e.title:
        e.title = clip(e.title, LIMITS["title"])
    if e.description:
        e.description = clip(e.description, LIMITS["description"], " (more: see sources)")
    if e.author and e.author.name:
        e.set_author(name=clip(e.author.name, LIMITS["author"]), url=e.author.url)
    fields = [(f.name or "\u200b", f.value or "\u200b", bool(f.inline)) for f in e.fields]
    dropped = 0
    if len(fields) > LIMITS["fields"]:
        dropped = len(fields) - LIMITS["fields"] + 1
        fields = fields[: LIMITS["fields"] - 1]
    footer = e.footer.text if e.footer and e.footer.text else ""

    def rebuild() -> None:
        e.clear_fields()
        for name, value, inline in fields:
            e.add_field(
                name=clip(name, LIMITS["field_name"]),
                value=clip(value, LIMITS["field_value"], " (more)"),
                inline=inline,
            )
        if dropped:
            e.add_field(
                name="More",
                value=f"…and {dropped} more not shown (use More sources / a narrower query).",
                inline=False,
            )
        text = footer
        if text:
            e.set_footer(text=clip(text, LIMITS["footer"]))
        else:
            e.remove_footer()

    rebuild()
    total = max(total, 0)
    while len(e) > total:
        over = len(e) - total
        description = e.description or ""
        if len(description) > 200:
            e.description = clip(description, max(200, len(description) - over), " (more)")
        elif fields:
            fields.pop()
            dropped += 1
            rebuild()
        elif footer:
            footer = clip(footer, max(0, len(footer) - over)) if len(footer) > over else ""
            rebuild()
        elif dropped:
            dropped = 0
            rebuild()
        elif description:
            e.description = clip(description, max(0, len(description) - over))
        elif e.title:
            e.title = clip(e.title, len(e.title) - over) if len(e.title) > over else None
        elif e.author and e.author.name:
            e.remove_author()
        else:  # pragma: no cover - nothing left to cut
            break
    return e


def fit_message(embeds: Sequence[discord.Embed]) -> list[discord.Embed]:
    """At most 10 embeds whose characters together stay within 6000."""
    out: list[discord.Embed] = []
    budget = LIMITS["total"]
    for embed in list(embeds)[: LIMITS["embeds"]]:
        if budget <= 0:
            break
        fitted = fit_embed(embed, total=budget)
        if len(fitted) == 0 and out:
            break
        out.append(fitted)
        budget -= len(fitted)
    return out


def _source_value(c: Citation) -> str:
    parts = [c.date_label]
    if c.source_label:
        parts.append(neutralize(c.source_label))
    if c.url:
        parts.append(c.url)
    parts.append(f"brief #{c.brief_id}")
    return " · ".join(parts)


def _source_field(c: Citation) -> tuple[str, str]:
    return clip(f"[{c.number}] {neutralize(c.title)}", LIMITS["field_name"]), clip(
        _source_value(c), LIMITS["field_value"]
    )


MAX_SOURCE_FIELDS = 20


def answer_embed(answer: Answer) -> discord.Embed:
    """The answer text with [n] markers, numbered sources as fields, "As of" in the footer."""
    if answer.abstained:
        lines = [NOT_COVERED]
        if answer.text and answer.text != NOT_COVERED:
            lines = [neutralize(answer.text)]
        if answer.closest_evidence:
            lines.append(f"\nClosest evidence: “{neutralize(answer.closest_evidence)}”")
        colour = ABSTAIN
    else:
        lines = [neutralize(answer.text)]
        colour = NEUTRAL
    lines.extend(f"_{neutralize(note)}_" for note in answer.notes)
    embed = discord.Embed(
        title=clip(neutralize(answer.question), LIMITS["title"]),
        description=clip("\n".join(lines), LIMITS["description"], " (more: see sources)"),
        colour=colour,
    )
    cited = answer.sources if not answer.abstained else answer.closest
    if answer.abstained and cited:
        embed.add_field(
            name="Closest briefs", value="The nearest briefs in the corpus:", inline=False
        )
    for c in cited[:MAX_SOURCE_FIELDS]:
        name, value = _source_field(c)
        embed.add_field(name=name, value=value, inline=False)
    if len(cited) > MAX_SOURCE_FIELDS:
        embed.add_field(
            name="More sources",
            value=f"…and {len(cited) - MAX_SOURCE_FIELDS} more: press **More sources**.",
            inline=False,
        )
    footer: list[str] = []
    if answer.as_of and not answer.abstained:
        footer.append(f"As of {answer.as_of.isoformat()} (newest source used)")
    if answer.question_id is not None:
        footer.append(f"question #{answer.question_id}")
    if footer:
        embed.set_footer(text=" · ".join(footer))
    return fit_embed(embed)


def closest_embed(question: str, hits: Sequence[SearchHit]) -> discord.Embed:
    """ "More sources": the best passage of each matching brief."""
    embed = discord.Embed(
        title=clip(f"More sources: {neutralize(question)}", LIMITS["title"]), colour=NEUTRAL
    )
    if not hits:
        embed.description = "No further briefs match this question."
    _add_hit_fields(embed, hits, value_chars=300)
    return fit_embed(embed)


def _add_hit_fields(embed: discord.Embed, hits: Sequence[SearchHit], *, value_chars: int) -> None:
    """A field per hit (ten at most): the brief's number and title, its date and passage."""
    for hit in hits[:10]:
        b = hit.brief
        embed.add_field(
            name=clip(f"#{b.id} {neutralize(b.title)}", LIMITS["field_name"]),
            value=clip(f"{_date_label(b)} — {neutralize(hit.passage.text)}", value_chars),
            inline=False,
        )


def _date_label(b: Brief) -> str:
    text = b.published.isoformat()
    return f"{text} (date inferred)" if b.date_origin.inferred else text


def _balance_label(balance: float | None) -> str:
    if balance is None:
        return "n/a (no Russia–Iran sentences)"
    lean = "cooperation" if balance > 0.05 else "tension" if balance < -0.05 else "mixed"
    return f"{balance:+.2f} ({lean})"


def brief_embed(detail: BriefDetail, *, excerpt_chars: int = 1500) -> discord.Embed:
    b = detail.brief
    body = neutralize(detail.body.strip())
    excerpt = clip(body, excerpt_chars, " (more in the original file)")
    embed = discord.Embed(
        title=clip(f"#{b.id} {neutralize(b.title)}", LIMITS["title"]),
        description=excerpt or "(empty)",
        colour=TENSION if b.deleted else NEUTRAL,
        url=b.source_url or None,
    )
    embed.add_field(name="Published", value=_date_label(b), inline=True)
    embed.add_field(name="Outlet", value=neutralize(b.outlet or "—"), inline=True)
    embed.add_field(name="Source type", value=b.provenance.label, inline=True)
    embed.add_field(name="Version", value=str(b.version), inline=True)
    embed.add_field(name="Balance", value=_balance_label(b.balance.balance), inline=True)
    labels = ", ".join(f"{k} {v}" for k, v in sorted(detail.label_counts.items())) or "—"
    embed.add_field(
        name="Russia–Iran sentences", value=f"{detail.dyad_sentences} ({labels})", inline=True
    )
    embed.add_field(name="Passages", value=str(detail.passages), inline=True)
    if b.tags:
        embed.add_field(name="Tags", value=neutralize(", ".join(b.tags)), inline=False)
    notes = []
    if b.deleted:
        notes.append("deleted (restore with /brief restore)")
    if b.supersedes_id:
        notes.append(f"supersedes #{b.supersedes_id}")
    if b.superseded_by_id:
        notes.append(f"superseded by #{b.superseded_by_id}")
    notes.append(f"file {neutralize(b.original_filename)}")
    embed.set_footer(text=" · ".join(notes))
    return fit_embed(embed)


def search_embed(query: str, hits: Sequence[SearchHit]) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"Briefs matching “{neutralize(query)}”", LIMITS["title"]), colour=NEUTRAL
    )
    if not hits:
        embed.description = "No brief matches. Try fewer or different words."
    _add_hit_fields(embed, hits, value_chars=400)
    embed.set_footer(text="Open one with /brief show id")
    return fit_embed(embed)


def brief_list_embed(briefs: Sequence[Brief], *, heading: str = "Briefs") -> discord.Embed:
    lines = [
        f"**#{b.id}** {neutralize(b.title)} — {_date_label(b)}"
        + (f" — {neutralize(b.outlet)}" if b.outlet else "")
        + (" (deleted)" if b.deleted else "")
        for b in briefs
    ]
    embed = discord.Embed(
        title=heading,
        description=clip(
            "\n".join(lines) or "The corpus is empty.", 4096, " (more: /brief search)"
        ),
        colour=NEUTRAL,
    )
    return fit_embed(embed)


_STATUS = {
    "add": "New brief — ready to store.",
    "new_version": "New version of brief #{id} “{title}” ({sim} overlap) — storing supersedes it.",
    "near_duplicate": "Very similar to brief #{id} “{title}” ({sim} overlap) — "
    "store anyway only if it is really different.",
    "duplicate": "Duplicate of brief #{id} “{title}”; nothing to store.",
}


def status_line(prepared: PreparedBrief) -> str:
    template = _STATUS.get(prepared.status, prepared.status)
    related = prepared.related
    return template.format(
        id=related.id if related else "?",
        title=neutralize(related.title) if related else "",
        sim=f"{(prepared.similarity or 0):.0%}",
    )


def preview_embed(prepared: PreparedBrief, *, expires_minutes: int = 15) -> discord.Embed:
    nb = prepared.brief
    origin = nb.date_origin.value.replace("_", " ")
    inferred = " (date inferred)" if nb.date_origin.inferred else ""
    embed = discord.Embed(
        title=clip(f"Upload preview: {neutralize(nb.title)}", LIMITS["title"]),
        description=clip(neutralize(nb.body.strip()), 700, " (more in the file)"),
        colour=TENSION if prepared.status in ("duplicate", "near_duplicate") else NEUTRAL,
    )
    embed.add_field(name="Detected title", value=neutralize(nb.title), inline=False)
    embed.add_field(
        name="Date", value=f"{nb.published.isoformat()}{inferred} — from {origin}", inline=True
    )
    embed.add_field(
        name="Length",
        value=f"{len(nb.body):,} characters · {len(nb.passages)} passages · "
        f"{sum(1 for s in nb.sentences if s.dyad)} Russia–Iran sentences",
        inline=True,
    )
    source = nb.source_url or nb.outlet or "—"
    embed.add_field(name="Source", value=neutralize(source), inline=True)
    embed.add_field(name="Result", value=status_line(prepared), inline=False)
    embed.add_field(name="Balance", value=_balance_label(nb.balance.balance), inline=True)
    embed.set_footer(
        text=f"{neutralize(nb.original_filename)} · this preview expires in {expires_minutes} min"
    )
    return fit_embed(embed)


def digest_embeds(digest: Digest, *, chart_filename: str | None = None) -> list[discord.Embed]:
    """One embed: header as title/description, one field per track, sources, footer."""
    sections = digest_sections(digest, max_total=LIMITS["total"] - 200)
    header, *middle, footer = sections
    moved = digest.overall.direction
    colour = COOPERATION if moved.value == "up" else TENSION if moved.value == "down" else NEUTRAL
    embed = discord.Embed(
        title=clip(header.title, LIMITS["title"]),
        description=clip(neutralize(header.body), LIMITS["description"]),
        colour=colour,
    )
    for sec in middle:
        embed.add_field(
            name=sec.title or "\u200b", value=neutralize(sec.body) or "\u200b", inline=False
        )
    embed.set_footer(text=footer.body.replace("`digest explain", "`python -m bot digest explain"))
    if chart_filename:
        embed.set_image(url=f"attachment://{chart_filename}")
    return fit_message([embed])
