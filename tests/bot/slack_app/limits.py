"""Assertions every Slack message must pass: Block Kit limits and inert mrkdwn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.slack_app import blocks as B

# Markup the bot itself produces: links <https://…|label>, a "Shared by <@U…>" mention and
# "> " blockquotes at the start of a line.
_OWN_MARKUP = re.compile(r"<https?://[^|<>\s]+\|[^<>]*>|<@U[A-Z0-9]+>|^> ", re.MULTILINE)
_BAD_AMP = re.compile(r"&(?!amp;|lt;|gt;)")


def texts(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(kind, text) for every text object in the blocks."""
    for block in blocks:
        kind = block["type"]
        if "text" in block:
            yield kind, block["text"]["text"]
        for element in block.get("elements", []):
            if element.get("type") == "button":
                yield "button", element["text"]["text"]
            elif "text" in element:
                yield kind, element["text"]


def assert_within_limits(blocks: list[dict[str, Any]], text: str) -> None:
    assert text.strip(), "a plain-text fallback is required"
    assert len(text) <= B.FALLBACK_LIMIT
    assert 0 < len(blocks) <= B.MAX_BLOCKS
    for block in blocks:
        kind = block["type"]
        if kind == "section":
            assert 0 < len(block["text"]["text"]) <= B.MAX_SECTION
        elif kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= B.MAX_HEADER
        elif kind == "context":
            assert 0 < len(block["elements"]) <= B.MAX_CONTEXT_ELEMENTS
            for element in block["elements"]:
                assert len(element["text"]) <= 3000
        elif kind == "actions":
            assert len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= B.MAX_BUTTON_TEXT
                assert len(element["value"]) <= B.MAX_BUTTON_VALUE
                assert len(element["action_id"]) <= 255


def assert_inert(blocks: list[dict[str, Any]], text: str) -> None:
    """No '<', '>' or bare '&' outside the bot's own link markup, in blocks and fallback."""
    for _, shown in [*texts(blocks), ("fallback", text)]:
        stripped = _OWN_MARKUP.sub("", shown)
        assert "<" not in stripped, shown
        assert ">" not in stripped, shown
        assert not _BAD_AMP.search(stripped), shown
        assert "<!channel>" not in shown
        assert "<!here>" not in shown
        assert "<@U123>" not in shown
