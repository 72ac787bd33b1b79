"""Slack mrkdwn text: Block Kit limits, escaping, clipping/splitting and safe links.

Every user- or brief-derived string goes through :func:`escape` (Slack's mrkdwn only needs
``&``, ``<`` and ``>`` escaped); cutting never splits an ``&amp;``-style entity. Re-exported
by ``bot.slack_app.blocks``.
"""

from __future__ import annotations

import urllib.parse

__all__ = [
    "ELLIPSIS",
    "FALLBACK_LIMIT",
    "MAX_BLOCKS",
    "MAX_BUTTON_TEXT",
    "MAX_BUTTON_VALUE",
    "MAX_CONTEXT_ELEMENTS",
    "MAX_CONTEXT_TEXT",
    "MAX_HEADER",
    "MAX_LABEL",
    "MAX_SECTION",
    "MAX_URL",
    "clip",
    "escape",
    "link",
    "plain_fallback",
    "safe_url",
    "split_text",
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


def escape(text: object) -> str:
    """Slack mrkdwn escaping: ``&`` → ``&amp;``, ``<`` → ``&lt;``, ``>`` → ``&gt;``."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of user-typed text (the order matters: ``&amp;`` last)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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
