"""Block Kit builders: pure functions from domain objects to Slack payloads (no API calls).

Every user- or brief-derived string goes through :func:`escape` (Slack's mrkdwn only needs
``&``, ``<`` and ``>`` escaped), so ``<!channel>``, ``<@U123>`` or ``<https://evil|bank>`` in a
brief title render as inert text. Every message stays within Block Kit limits: at most
:data:`MAX_BLOCKS` blocks, section text :data:`MAX_SECTION` characters, header
:data:`MAX_HEADER`, context :data:`MAX_CONTEXT_ELEMENTS` elements; long content is split
over several sections, and a plain ``text`` fallback is always provided.

This module builds answer, catalog and upload-preview messages. The limits and escaping
live in ``_mrkdwn``, the block primitives in ``_block_kit`` and the digest messages in
``digest_blocks``; their public names are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.slack_app._block_kit import (
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    fit,
    header,
    notice,
    pack_lines,
    sections,
)
from bot.slack_app._mrkdwn import (
    ELLIPSIS,
    FALLBACK_LIMIT,
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_ELEMENTS,
    MAX_CONTEXT_TEXT,
    MAX_HEADER,
    MAX_SECTION,
    clip,
    escape,
    link,
    plain_fallback,
    safe_url,
    split_text,
    unescape,
)
from bot.slack_app.digest_blocks import digest_message, subscriptions_message
from briefs.answering.model import NOT_COVERED, Answer, Citation
from briefs.models import Brief, NewBrief, SearchHit
from briefs.services.ingest import PreparedBrief

__all__ = [
    "FALLBACK_LIMIT",
    "MAX_BLOCKS",
    "MAX_BUTTON_TEXT",
    "MAX_BUTTON_VALUE",
    "MAX_CONTEXT_ELEMENTS",
    "MAX_CONTEXT_TEXT",
    "MAX_HEADER",
    "MAX_SECTION",
    "Message",
    "answer_message",
    "brief_detail_message",
    "brief_list_message",
    "clip",
    "digest_message",
    "escape",
    "link",
    "notice",
    "preview_message",
    "search_message",
    "split_text",
    "subscriptions_message",
    "unescape",
]


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


# --------------------------------------------------------------------------- answers


def citation_line(c: Citation) -> str:
    """``[n] <url|Title> — 2016-08-22 (date inferred) — Outlet`` (escaped mrkdwn)."""
    parts = [f"[{c.number}] *{link(c.url, c.title)}*", escape(c.date_label)]
    if c.source_label:
        parts.append(clip(escape(c.source_label), 200))
    parts.append(f"brief #{c.brief_id}")
    return " — ".join(parts)


def _answer_fallback(answer: Answer) -> str:
    lines = [answer.text]
    if answer.sources:
        lines.append("Sources: " + "; ".join(c.line() for c in answer.sources))
    elif answer.closest:
        lines.append("Closest briefs: " + "; ".join(c.line() for c in answer.closest))
    text = "\n".join(lines).strip() or " ".join(answer.question.split()) or "Answer"
    return plain_fallback(text)


def answer_message(
    answer: Answer,
    *,
    shareable: bool = False,
    share_value: str = "",
    shared_by: str | None = None,
    feedback: bool = True,
) -> Message:
    """The answer with [n] markers, sources, an "as of" line and feedback/share buttons."""
    question = clip(escape(" ".join(answer.question.split())), 600)
    top: list[Block] = [context([f"*Q:* {question}"])] if question else []
    body: list[Block] = []
    if answer.abstained:
        body.extend(sections(f"*{escape(NOT_COVERED)}*"))
        if answer.closest_evidence:
            body.extend(sections(f"Closest evidence: “{escape(answer.closest_evidence)}”"))
        if answer.closest:
            body.extend(
                pack_lines([citation_line(c) for c in answer.closest], title="*Closest briefs*")
            )
    else:
        body.extend(sections(escape(answer.text)))
        if answer.sources:
            body.extend(pack_lines([citation_line(c) for c in answer.sources], title="*Sources*"))
    notes: list[str] = []
    if answer.as_of and not answer.abstained:
        notes.append(f"As of {answer.as_of.isoformat()} (newest source used)")
    notes.extend(escape(n) for n in answer.notes)
    if shared_by and _USER_ID.match(shared_by):
        notes.append(f"Shared by <@{shared_by}>")
    tail: list[Block] = []
    if notes:
        tail.append(context(notes))
    buttons: list[Block] = []
    if feedback and answer.question_id is not None:
        qid = str(answer.question_id)
        buttons.append(button("👍 Helpful", "answer_vote_up", qid))
        buttons.append(button("👎 Not helpful", "answer_vote_down", qid))
    if shareable:
        buttons.append(button("Share in channel", "answer_share", share_value or "-"))
    if buttons:
        tail.append(actions(*buttons, block_id="answer_actions"))
    blocks = fit([*top, *body, *tail], keep_tail=len(tail))
    return Message(blocks, _answer_fallback(answer))


# --------------------------------------------------------------------------- catalog


def _date(brief: Brief) -> str:
    text = brief.published.isoformat()
    return f"{text} (date inferred)" if brief.date_origin.inferred else text


def brief_line(brief: Brief) -> str:
    parts = [f"*#{brief.id}* {link(brief.source_url, brief.title)}", escape(_date(brief))]
    if brief.outlet:
        parts.append(clip(escape(brief.outlet), 200))
    if brief.version > 1:
        parts.append(f"v{brief.version}")
    if brief.deleted:
        parts.append("_deleted_")
    return " — ".join(parts)


def brief_list_message(briefs: Sequence[Brief], *, page: int, per_page: int) -> Message:
    if not briefs:
        return notice("No briefs on this page." if page > 1 else "The corpus is empty.")
    first = (page - 1) * per_page + 1
    head = f"*Briefs {first}–{first + len(briefs) - 1}* (page {page})"
    blocks = pack_lines([brief_line(b) for b in briefs], title=head)
    blocks.append(
        context([f"Next page: `/brief list {page + 1}` · details: `/brief show &lt;id&gt;`"])
    )
    text = "\n".join(f"#{b.id} {b.title} — {_date(b)}" for b in briefs)
    return Message(fit(blocks, keep_tail=1), plain_fallback(text))


def search_message(query: str, hits: Sequence[SearchHit]) -> Message:
    q = clip(escape(query), 200)
    if not hits:
        return notice(f"No brief matches “{query}”.")
    lines = []
    for hit in hits:
        snippet = clip(escape(" ".join(hit.passage.text.split())), 280)
        lines.append(f"{brief_line(hit.brief)}\n> {snippet}")
    blocks = pack_lines(lines, title=f"*Search:* {q}")
    text = "\n".join(f"#{h.brief.id} {h.brief.title}" for h in hits)
    return Message(fit(blocks), plain_fallback(text))


def brief_detail_message(
    brief: Brief,
    body: str,
    *,
    passages: int,
    dyad_sentences: int,
    label_counts: dict[str, int],
    excerpt_chars: int = 6000,
) -> Message:
    meta = [f"*#{brief.id}* {escape(_date(brief))} ({escape(brief.date_origin.value)})"]
    if brief.outlet:
        meta.append(f"Outlet: {escape(brief.outlet)}")
    if brief.provenance.known:
        meta.append(f"Source type: {escape(brief.provenance.label)}")
    if safe_url(brief.source_url):
        meta.append(f"Link: {link(brief.source_url, brief.source_url or '', max_label=200)}")
    meta.append(f"File: {escape(brief.original_filename)}")
    meta.append(f"Version {brief.version}" + (" · *deleted*" if brief.deleted else ""))
    counts = ", ".join(f"{k} {v}" for k, v in sorted(label_counts.items())) or "none"
    meta.append(f"{passages} passages · {dyad_sentences} Russia–Iran sentences ({counts})")
    if brief.balance.balance is not None:
        meta.append(f"Balance {brief.balance.balance:+.2f}")
    blocks: list[Block] = [header(brief.title), *pack_lines(meta)]
    excerpt = body[:excerpt_chars]
    if excerpt.strip():
        blocks.append(divider())
        blocks.extend(sections(escape(excerpt) + (ELLIPSIS if len(body) > excerpt_chars else "")))
    text = f"#{brief.id} {brief.title} — {_date(brief)}"
    return Message(fit(blocks), plain_fallback(text))


# --------------------------------------------------------------------------- uploads


def _balance_text(brief: NewBrief) -> str:
    bal = brief.balance
    if bal.balance is None:
        return "no Russia–Iran cooperation/tension sentences found"
    parts = [f"{bal.balance:+.2f} (−1 tension … +1 cooperation)"]
    if bal.top_cooperation:
        parts.append("cooperation: " + ", ".join(escape(t) for t in bal.top_cooperation))
    if bal.top_tension:
        parts.append("tension: " + ", ".join(escape(t) for t in bal.top_tension))
    return " · ".join(parts)


def _status_text(prepared: PreparedBrief) -> str:
    rel = prepared.related
    if prepared.status == "duplicate" and rel is not None:
        return f"*Duplicate of brief #{rel.id}* “{escape(rel.title)}”; nothing will be stored."
    if prepared.status == "near_duplicate" and rel is not None:
        pct = f"{(prepared.similarity or 0):.0%}"
        return (
            f":warning: *Near-duplicate* of brief #{rel.id} “{escape(rel.title)}” "
            f"({pct} overlap). Store anyway only if both should be kept."
        )
    if prepared.status == "new_version" and rel is not None:
        return (
            f"*New version* (v{prepared.brief.version}) of brief #{rel.id} "
            f"“{escape(rel.title)}”; the old version stays searchable as superseded."
        )
    return "*New brief*"


def preview_message(
    prepared: PreparedBrief, filename: str, token: str | None, *, expires_minutes: int = 15
) -> Message:
    """What an admin sees before anything is stored; Confirm / Cancel carry ``token``."""
    b = prepared.brief
    words = len(b.body.split())
    date = b.published.isoformat() + (" (date inferred)" if b.date_origin.inferred else "")
    source = link(b.source_url, b.source_url or "", max_label=200) if safe_url(b.source_url) else ""
    lines = [
        f"*Title:* {escape(b.title)}",
        f"*Date:* {escape(date)} — origin: {escape(b.date_origin.value.replace('_', ' '))}",
        f"*Source:* {escape(b.outlet or 'unknown outlet')}" + (f" — {source}" if source else ""),
        f"*Length:* {words:,} words, {len(b.body):,} characters, {len(b.passages)} passages",
        f"*Status:* {_status_text(prepared)}",
        f"*Balance:* {_balance_text(b)}",
    ]
    blocks: list[Block] = [header(f"Upload preview: {filename}"), *pack_lines(lines)]
    if token is not None and prepared.status != "duplicate":
        confirm = (
            button("Store anyway", "upload_confirm", token, style="danger")
            if prepared.status == "near_duplicate"
            else button("Confirm", "upload_confirm", token, style="primary")
        )
        blocks.append(actions(confirm, button("Cancel", "upload_cancel", token)))
        blocks.append(
            context([f"Nothing is stored until you confirm · expires in {expires_minutes} min"])
        )
    fallback = f"Upload preview: {b.title} — {date} — {prepared.status}"
    if prepared.status == "duplicate" and prepared.related is not None:
        fallback = f"Duplicate of brief #{prepared.related.id} “{prepared.related.title}”"
    return Message(fit(blocks, keep_tail=2), plain_fallback(fallback))
