"""Block Kit builders: pure functions from domain objects to Slack payloads (no API calls).

Every user- or brief-derived string goes through :func:`escape` (Slack's mrkdwn only needs
``&``, ``<`` and ``>`` escaped), so ``<!channel>``, ``<@U123>`` or ``<https://evil|bank>`` in a
brief title render as inert text. Every message stays within Block Kit limits: at most
:data:`MAX_BLOCKS` blocks, section text :data:`MAX_SECTION` characters, header
:data:`MAX_HEADER`, context :data:`MAX_CONTEXT_ELEMENTS` elements; long content is split
over several sections, and a plain ``text`` fallback is always provided.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefs.answering.model import NOT_COVERED, Answer, Citation
from briefs.digest.model import Digest
from briefs.digest.ports import Subscription
from briefs.digest.render_text import digest_sections
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

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_CONTEXT_TEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 1000  # longer links are shown without a link rather than risk a cut markup
MAX_LABEL = 300  # titles in lists are shortened so one line never needs cutting
FALLBACK_LIMIT = 3900  # plain-text fallback (Slack truncates at 40k; notifications want less)

ELLIPSIS = "…"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """What any Slack call needs: blocks plus the plain-text fallback."""

    blocks: list[Block]
    text: str
    extra: dict[str, Any] = field(default_factory=dict)

    def kwargs(self) -> dict[str, Any]:
        return {"blocks": self.blocks, "text": self.text}


# --------------------------------------------------------------------------- escaping


def escape(text: object) -> str:
    """Slack mrkdwn escaping: ``&`` → ``&amp;``, ``<`` → ``&lt;``, ``>`` → ``&gt;``."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of user-typed text (the order matters: ``&amp;`` last)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def _cut(text: str, limit: int) -> str:
    """``text[:limit]`` without splitting an ``&amp;``/``&lt;``/``&gt;`` entity."""
    cut = text[:limit]
    amp = cut.rfind("&", max(0, len(cut) - 4))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut


def clip(text: str, limit: int) -> str:
    """Cut already-escaped ``text`` to ``limit`` characters, ending with "…" if shortened."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    return _cut(text, limit - 1).rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_SECTION) -> list[str]:
    """Split escaped ``text`` into chunks of at most ``limit`` characters.

    Prefers paragraph breaks, then line breaks, then sentence ends, then spaces; never cuts
    inside an entity such as ``&amp;``.
    """
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = _cut(rest, limit)
        at = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at > limit // 3:
                at += len(sep)
                break
        if at <= limit // 3:
            at = len(window)
        chunks.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
    if rest:
        chunks.append(rest)
    return [c for c in chunks if c] or [""]


_URL_SAFE = ":/?#[]@!$'()*+,;=%-._~&"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL made inert inside ``<url|text>``: no ``|``, ``<``, ``>``, spaces."""
    if not url:
        return None
    url = url.strip()
    scheme = urllib.parse.urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in ("http", "https"):
        return None
    quoted = escape(urllib.parse.quote(url, safe=_URL_SAFE))
    return quoted if len(quoted) <= MAX_URL else None


def link(url: str | None, label: str, *, max_label: int = MAX_LABEL) -> str:
    """``<url|label>`` with both parts made safe (and short), or the escaped label alone."""
    target = safe_url(url)
    shown = clip(escape(" ".join(label.split())), max_label)
    if target is None:
        return shown
    return f"<{target}|{shown}>"


def plain_fallback(text: str) -> str:
    return clip(escape(text), FALLBACK_LIMIT)


# --------------------------------------------------------------------------- blocks


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def sections(text: str) -> list[Block]:
    return [section(chunk) for chunk in split_text(text, MAX_SECTION) if chunk]


def header(text: str) -> Block:
    """Header from raw text (escaped here too, belt and braces, though it is plain_text)."""
    shown = clip(escape(" ".join(text.split())), MAX_HEADER) or "-"
    return {"type": "header", "text": {"type": "plain_text", "text": shown}}


def context(items: Iterable[str]) -> Block:
    """Context block from escaped mrkdwn strings; extra items are folded into the last one."""
    texts = [t for t in items if t]
    if len(texts) > MAX_CONTEXT_ELEMENTS:
        head = texts[: MAX_CONTEXT_ELEMENTS - 1]
        texts = [*head, " · ".join(texts[MAX_CONTEXT_ELEMENTS - 1 :])]
    elements = [{"type": "mrkdwn", "text": clip(t, MAX_CONTEXT_TEXT)} for t in texts] or [
        {"type": "mrkdwn", "text": " "}
    ]
    return {"type": "context", "elements": elements}


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, confirm: Block | None = None
) -> Block:
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(escape(text), MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style:
        b["style"] = style
    if confirm:
        b["confirm"] = confirm
    return b


def actions(*elements: Block, block_id: str | None = None) -> Block:
    b: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        b["block_id"] = block_id
    return b


def divider() -> Block:
    return {"type": "divider"}


def pack_lines(lines: Sequence[str], *, title: str = "", limit: int = MAX_SECTION) -> list[Block]:
    """Pack escaped lines into as few sections as fit; ``title`` (escaped) starts the first."""
    out: list[str] = []
    current = title
    for raw in lines:
        line = clip(raw, limit - 1)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return [section(chunk) for chunk in out]


def fit(blocks: list[Block], *, keep_tail: int = 0, more: str = "") -> list[Block]:
    """At most MAX_BLOCKS blocks: the first ones, a "more" note, then ``keep_tail`` final ones."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail = blocks[len(blocks) - keep_tail :] if keep_tail else []
    room = MAX_BLOCKS - len(tail) - 1
    hidden = len(blocks) - keep_tail - room
    note = context([more or f"{ELLIPSIS} {hidden} more part(s) not shown."])
    return [*blocks[:room], note, *tail]


def notice(text: str, *, emoji: str = "") -> Message:
    """A one-paragraph message from raw text (escaped here)."""
    body = escape(text)
    shown = f"{emoji} {body}" if emoji else body
    return Message(sections(shown), plain_fallback(text))


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


# --------------------------------------------------------------------------- digests


def digest_message(digest: Digest) -> Message:
    """A digest as a header, one section per track and the sources, within Slack limits."""
    secs = digest_sections(
        digest, max_total=24000, max_sections=40, max_title=MAX_HEADER, max_value=2400
    )
    blocks: list[Block] = []
    first, *rest = secs
    blocks.append(header(first.title))
    blocks.extend(sections(escape(first.body)))
    for sec in rest:
        if not sec.title and not sec.body:
            continue
        if sec is secs[-1] and not sec.title:
            blocks.append(context([escape(sec.body)]))
            continue
        title = f"*{escape(sec.title)}*\n" if sec.title else ""
        blocks.extend(sections(title + escape(sec.body)))
    if digest.new_in_corpus:
        lines = [
            f"#{n.brief_id} {link(n.url, n.title)}"
            f" — {n.published.isoformat()}" + (" (backfill)" if n.backfill else "")
            for n in digest.new_in_corpus[:20]
        ]
        blocks.extend(pack_lines(lines, title="*New in the corpus*"))
    fallback = f"{first.title}\n{digest.headline}"
    return Message(fit(blocks), plain_fallback(fallback))


def subscriptions_message(subs: Sequence[Subscription]) -> Message:
    if not subs:
        return notice("No digest subscriptions in this workspace.")
    lines = [f"• {escape(s.describe())}" for s in subs]
    return Message(
        fit(pack_lines(lines, title="*Digest subscriptions*")),
        plain_fallback("\n".join(s.describe() for s in subs)),
    )
