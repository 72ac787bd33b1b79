"""Line-level tests for the chrome of scraped pages: menus, share bars, cookie notices…"""

from __future__ import annotations

import re

__all__ = [
    "is_boilerplate_line",
    "is_fragment",
    "is_navigation_label",
    "is_page_furniture",
    "is_tail_marker",
    "is_teaser",
    "normalize_line",
]

_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|reddit|email|e-mail|print"
    r"|share|tweet|vk|copy link)"
)
# Whole lines that only label navigation or page sections.
_NAVIGATION_LABELS = frozenset(
    {
        "about",
        "about us",
        "advertisement",
        "all rights reserved",
        "archives",
        "back to top",
        "blog and articles",
        "business",
        "categories",
        "comment",
        "comments",
        "contact",
        "contact us",
        "continue reading",
        "cookie policy",
        "editor's picks",
        "email",
        "featured posts",
        "follow us",
        "go to top",
        "home",
        "latest news",
        "leave a comment",
        "leave a reply",
        "load more",
        "log in",
        "log out",
        "login",
        "menu",
        "more",
        "most popular",
        "most read",
        "must read",
        "news",
        "newsletter",
        "next",
        "next post",
        "opinion",
        "photos",
        "politics",
        "popular posts",
        "prev",
        "previous",
        "previous post",
        "print",
        "privacy policy",
        "read more",
        "recent posts",
        "recommended for you",
        "recommended to you",
        "register",
        "related articles",
        "related posts",
        "scroll to top",
        "search",
        "see also",
        "share",
        "share this",
        "share this article",
        "show more",
        "sign in",
        "sign up",
        "skip to content",
        "sponsored",
        "sport",
        "sports",
        "subscribe",
        "tags",
        "terms of service",
        "terms of use",
        "top",
        "top stories",
        "trending now",
        "tweet",
        "upstairs",
        "video",
        "videos",
        "world",
        "you may also like",
        "you might also like",
    }
)
# Section headings after which a page only lists other articles, comments or footer.
_TAIL_MARKERS = (
    "related posts",
    "related articles",
    "related stories",
    "related news",
    "latest news",
    "latest stories",
    "must read",
    "you might also like",
    "you may also like",
    "recommended for you",
    "recommended to you",
    "more from",
    "more stories",
    "read also",
    "read more",
    "leave a reply",
    "leave a comment",
    "comments",
    "popular posts",
    "most read",
    "most popular",
    "trending now",
)
# Phrases that give a line away wherever they occur; `_ANYWHERE_HINTS` are literal parts of
# them, checked first because most lines contain none and a substring test is cheap.
_ANYWHERE = re.compile(
    "|".join(
        (
            r"\b(?:we|this (?:web)?site) uses? cookies\b",
            r"\bcookie (?:policy|settings|preferences|consent)\b",
            r"\baccept (?:all )?cookies\b",
            r"\bpress enter to search\b",
            r"\b(?:type|start typing) and (?:hit|press) enter\b",
            r"\bpowered by\b",
            r"\bdesigned by\b",
            r"\ball rights reserved\b",
            r"\bsubscribe to (?:our|the|my) (?:newsletter|channel|mailing list)\b",
            r"\bsign up for (?:our|the) newsletter\b",
            r"\byou can leave a response\b",
            r"\btrackback\b",
            r"\benable javascript\b",
            r"\byour browser does not support\b",
        )
    ),
    re.I,
)
_ANYWHERE_HINTS = (
    "cookie",
    "enter",
    "powered by",
    "designed by",
    "rights reserved",
    "subscribe",
    "sign up",
    "leave a response",
    "trackback",
    "javascript",
    "browser",
)
# Openings that give a line away.
_OPENINGS = re.compile(
    "|".join(
        (
            r"search (?:for|this site)\b",
            r"(?:©|\(c\)\s|copyright\b)",
            r"(?:subscribe|sign up|sign in|log in)\b",
            r"share (?:on|this|via|article)\b",
            rf"{_SOCIAL}(?:[\s|,•·/]+{_SOCIAL})+$",
            r"leave a (?:reply|comment)\b",
            r"(?:posted|published|filed) (?:in|under)\b",
            r"(?:tags?|categor(?:y|ies)|topics?)\s*:",
            r"(?:click|tap) here\b",
            r"(?:read|see) (?:more|also|next)\b",
            r"continue reading\b",
            r"(?:related|advertisement|sponsored)\b",
            r"(?:grid|image|img|photo|picture|thumbnail)\s+https?://",
        )
    ),
    re.I,
)
# Reference-style links as left by HTML-to-text converters: "[Latest News][6]", "[6]: http://…"
_REFERENCE_LINK = re.compile(r"^(?:\[[^\]]*\]\[\d+\]\s*)+$|^\[\d+\]:\s*\S+")
_URL = re.compile(
    r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|ir|ru|info|io)\b\S*"
)
_MENU_SEPARATOR = re.compile(r"\s*[|•·»/]\s*")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ")")
_MAX_PATTERN_WORDS = 40
_MIN_WORDS = 4


def normalize_line(line: str) -> str:
    """Lower-cased, whitespace-collapsed, without surrounding punctuation: a comparison key."""
    return " ".join(line.casefold().split()).strip(" .:;,!?-–—|•·'\"“”‘’()[]")


def is_navigation_label(line: str) -> bool:
    return normalize_line(line) in _NAVIGATION_LABELS


def is_tail_marker(line: str) -> bool:
    key = normalize_line(line)
    return len(key.split()) <= 6 and key.startswith(_TAIL_MARKERS)


def _mostly_urls(line: str) -> bool:
    if "." not in line:
        return False
    url_chars = sum(len(m.group(0)) for m in _URL.finditer(line))
    return url_chars >= 0.5 * len(line.strip())


def _is_menu(line: str) -> bool:
    parts = [p for p in _MENU_SEPARATOR.split(line) if p]
    return len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts)


def is_fragment(line: str) -> bool:
    # A line opening in lower case is a tagline or a torn-off piece ("features the latest…"),
    # but not a brand like "eBay" or "iPhone".
    first = line.strip()[:2]
    return first[:1].islower() and not first[1:2].isupper()


def _has_phrase(line: str) -> bool:
    if _OPENINGS.match(line):
        return True
    folded = line.casefold()
    return any(hint in folded for hint in _ANYWHERE_HINTS) and bool(_ANYWHERE.search(line))


def is_page_furniture(line: str) -> bool:
    """Menus, share bars, cookie and subscribe notices, link lists: never content, never a title."""
    stripped = line.strip()
    if _WORD.search(stripped) is None:
        return True
    if _REFERENCE_LINK.match(stripped) or _mostly_urls(stripped):
        return True
    return len(stripped.split()) <= _MAX_PATTERN_WORDS and (
        _has_phrase(stripped) or is_navigation_label(stripped) or _is_menu(stripped)
    )


def is_teaser(line: str) -> bool:
    """A teaser of another article, cut off with an ellipsis."""
    stripped = line.strip()
    return len(stripped.split()) <= _MAX_PATTERN_WORDS and stripped.endswith(("...", "…"))


def _short_fragment(line: str) -> bool:
    return is_fragment(line) and len(line.split()) <= _MAX_PATTERN_WORDS


def is_boilerplate_line(line: str) -> bool:
    """Whether one line (a paragraph of the page) is page furniture rather than content."""
    if is_page_furniture(line) or is_teaser(line) or _short_fragment(line):
        return True
    stripped = line.strip()
    return len(_WORD.findall(stripped)) < _MIN_WORDS and not stripped.endswith(_SENTENCE_END)
