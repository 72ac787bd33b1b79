"""Block Kit messages for digests and digest subscriptions. Re-exported by
``bot.slack_app.blocks``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.slack_app._block_kit import (
    Block,
    Message,
    context,
    fit,
    header,
    notice,
    pack_lines,
    sections,
)
from bot.slack_app._mrkdwn import MAX_HEADER, escape, link, plain_fallback
from briefs.digest.model import Digest
from briefs.digest.ports import Subscription
from briefs.digest.render_text import digest_sections

__all__ = ["digest_message", "subscriptions_message"]


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
