"""Block Kit building blocks: the `Message` payload, single blocks (section, header, context,
button, actions, divider) and the packing that keeps a message within Slack's limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.slack_app._mrkdwn import (
    ELLIPSIS,
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_ELEMENTS,
    MAX_CONTEXT_TEXT,
    MAX_HEADER,
    MAX_SECTION,
    clip,
    escape,
    plain_fallback,
    split_text,
)

__all__ = [
    "Block",
    "Message",
    "actions",
    "button",
    "context",
    "divider",
    "fit",
    "header",
    "notice",
    "pack_lines",
    "section",
    "sections",
]

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """What any Slack call needs: blocks plus the plain-text fallback."""

    blocks: list[Block]
    text: str
    extra: dict[str, Any] = field(default_factory=dict)

    def kwargs(self) -> dict[str, Any]:
        return {"blocks": self.blocks, "text": self.text}


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
