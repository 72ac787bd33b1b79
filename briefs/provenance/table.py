"""The provenance table (``sources.json``, optionally extended by an admin's file) and lookups.

Matching is exact after normalisation, never fuzzy: an outlet or site name matches an entry's
name or alias ignoring case, punctuation, spacing and a leading "The"; a URL (or an outlet
written as a domain) matches an entry's domain after ``www.`` and any subdomains are stripped.
Anything else stays ``unknown`` — the table never guesses.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefs.provenance.model import UNKNOWN_PROVENANCE, Provenance, SourceType

__all__ = [
    "ProvenanceTable",
    "SourceEntry",
    "classify_source",
    "default_table",
    "domain_key",
    "name_key",
]

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_DOMAIN_IN_TEXT = re.compile(r"\b((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)
_PARENS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")


def name_key(name: str) -> str:
    """`The Tasnim News-Agency!` → `tasnimnewsagency`; accents folded, "The" dropped."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^\s*the\s+", "", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def domain_key(text: str) -> str | None:
    """The lower-case host of a URL or bare domain (`www.` and port removed), else None."""
    text = text.strip().lower()
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").removeprefix("www.")
    return host if _DOMAIN.match(host) else None


@dataclass(frozen=True, slots=True)
class SourceEntry:
    name: str
    type: SourceType
    country: str | None
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SourceEntry:
        name = str(d["name"]).strip()
        if not name_key(name):
            raise ValueError(f"source entry without a usable name: {d!r}")
        type_ = SourceType.parse(str(d["type"]))
        country = d.get("country")
        domains = []
        for raw in d.get("domains", ()):
            domain = domain_key(str(raw))
            if domain is None:
                raise ValueError(f"{name}: {raw!r} is not a domain")
            domains.append(domain)
        entry = cls(
            name=name,
            type=type_,
            country=str(country).strip().upper() if country else None,
            aliases=tuple(str(a) for a in d.get("aliases", ())),
            domains=tuple(domains),
        )
        entry.provenance("outlet")  # validates the country code
        return entry

    def provenance(self, matched_by: str) -> Provenance:
        return Provenance(self.type, self.country, matched_by)


class ProvenanceTable:
    """Outlet names and domains → `Provenance`; later entries win over earlier ones."""

    def __init__(self, entries: Iterable[SourceEntry]) -> None:
        self.entries = tuple(entries)
        self._names: dict[str, SourceEntry] = {}
        self._domains: dict[str, SourceEntry] = {}
        for entry in self.entries:
            for name in (entry.name, *entry.aliases):
                key = name_key(name)
                if key:
                    self._names[key] = entry
            for domain in entry.domains:
                self._domains[domain] = entry

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ProvenanceTable:
        return cls(SourceEntry.from_dict(d) for d in data.get("sources", ()))

    @classmethod
    def bundled(cls) -> ProvenanceTable:
        text = resources.files("briefs.provenance").joinpath("sources.json").read_text("utf-8")
        return cls.from_data(json.loads(text))

    @classmethod
    def load(cls, *extra: Path) -> ProvenanceTable:
        """The bundled table extended (and, entry by entry, overridden) by `extra` files.

        An extra file has the same shape as ``sources.json``: ``{"sources": [...]}``.
        """
        table = cls.bundled()
        for path in extra:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(f"cannot read provenance table {path}: {exc}") from exc
            table = table.extended(cls.from_data(data).entries)
        return table

    def extended(self, entries: Iterable[SourceEntry]) -> ProvenanceTable:
        return ProvenanceTable((*self.entries, *entries))

    def by_name(self, name: str | None) -> SourceEntry | None:
        if not name:
            return None
        for candidate in _name_candidates(name):
            found = self._names.get(name_key(candidate))
            if found is not None:
                return found
        return None

    def by_domain(self, text: str | None) -> SourceEntry | None:
        """The entry for a URL or domain; `news.bbc.co.uk` falls back to `bbc.co.uk`."""
        host = domain_key(text) if text else None
        while host and "." in host:
            found = self._domains.get(host)
            if found is not None:
                return found
            host = host.split(".", 1)[1]
        return None

    def _domain_in(self, text: str) -> SourceEntry | None:
        for match in _DOMAIN_IN_TEXT.finditer(text):
            found = self.by_domain(match.group(1))
            if found is not None:
                return found
        return None

    def classify(
        self, outlet: str | None, url: str | None, site_name: str | None = None
    ) -> Provenance:
        """Outlet name first, then the URL's domain, then the page's site name; else unknown."""
        if outlet and outlet.strip():
            entry = self.by_name(outlet)
            if entry is not None:
                return entry.provenance("outlet")
            entry = self._domain_in(outlet)  # "tasnimnews.com" or "AP (apnews.com)"
            if entry is not None:
                return entry.provenance("outlet")
        if url and url.strip():
            entry = self.by_domain(url)
            if entry is not None:
                return entry.provenance("domain")
        if site_name and site_name.strip():
            entry = self.by_name(site_name) or self._domain_in(site_name)
            if entry is not None:
                return entry.provenance("site_name")
        return UNKNOWN_PROVENANCE


def _name_candidates(name: str) -> list[str]:
    """The name as given, and without a parenthesised part: `AP (apnews.com)` → `AP`."""
    out = [name]
    bare = _PARENS.sub(" ", name).strip()
    if bare and bare != name:
        out.append(bare)
    return out


@lru_cache(maxsize=1)
def default_table() -> ProvenanceTable:
    """The bundled table, read once on first use."""
    return ProvenanceTable.bundled()


def classify_source(
    outlet: str | None, url: str | None, site_name: str | None = None
) -> Provenance:
    """Classify with the bundled table (see `ProvenanceTable.classify`)."""
    return default_table().classify(outlet, url, site_name)
