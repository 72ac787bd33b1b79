"""Who is speaking: a source type and a country, and how they are shown ("Iranian state media")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["COUNTRY_ADJECTIVES", "UNKNOWN_PROVENANCE", "Provenance", "SourceType"]


class SourceType(StrEnum):
    STATE_MEDIA = "state_media"
    WIRE = "wire"
    INTERNATIONAL_PRESS = "international_press"
    THINK_TANK = "think_tank"
    GOVERNMENT = "government"
    BLOG = "blog"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, text: str) -> SourceType:
        """`state-media`, `State_Media` or `state media` → `SourceType.STATE_MEDIA`."""
        key = re.sub(r"[\s\-]+", "_", text.strip().lower())
        try:
            return cls(key)
        except ValueError:
            names = ", ".join(t.value.replace("_", "-") for t in cls)
            raise ValueError(f"unknown source type {text!r}; use one of: {names}") from None

    @property
    def phrase(self) -> str:
        """The type in words, without a country."""
        return _PHRASES[self]


_PHRASES = {
    SourceType.STATE_MEDIA: "state media",
    SourceType.WIRE: "wire service",
    SourceType.INTERNATIONAL_PRESS: "international press",
    SourceType.THINK_TANK: "think tank",
    SourceType.GOVERNMENT: "government source",
    SourceType.BLOG: "blog or aggregator",
    SourceType.UNKNOWN: "unknown source",
}

#: ISO-2 country → adjective used in labels; a country not listed is shown by its code.
COUNTRY_ADJECTIVES = {
    "IR": "Iranian",
    "RU": "Russian",
    "US": "US",
    "GB": "British",
    "FR": "French",
    "DE": "German",
    "QA": "Qatari",
    "AE": "Emirati",
    "SA": "Saudi",
    "IL": "Israeli",
    "TR": "Turkish",
    "CN": "Chinese",
    "IN": "Indian",
    "LB": "Lebanese",
    "SY": "Syrian",
    "IQ": "Iraqi",
    "AZ": "Azerbaijani",
    "AM": "Armenian",
    "UA": "Ukrainian",
    "BE": "Belgian",
    "CH": "Swiss",
    "SE": "Swedish",
    "HK": "Hong Kong",
    "JP": "Japanese",
}


@dataclass(frozen=True, slots=True)
class Provenance:
    """A source's type and country (ISO 3166-1 alpha-2, upper case, or None).

    `matched_by` says how it was found: "outlet", "domain", "site_name", "override" (set by
    an admin; reclassify leaves it alone) or None (unknown, or read back from storage).
    """

    type: SourceType = SourceType.UNKNOWN
    country: str | None = None
    matched_by: str | None = None

    def __post_init__(self) -> None:
        if self.country is not None and not re.fullmatch(r"[A-Z]{2}", self.country):
            raise ValueError(f"country must be an ISO-2 code such as IR, got {self.country!r}")

    @property
    def label(self) -> str:
        """ "Iranian state media", "wire service", "British press", "unknown source"."""
        adjective = COUNTRY_ADJECTIVES.get(self.country or "", self.country)
        t = self.type
        if t in (SourceType.WIRE, SourceType.BLOG, SourceType.UNKNOWN) or adjective is None:
            return t.phrase
        if t is SourceType.INTERNATIONAL_PRESS:
            return f"{adjective} press"
        if t is SourceType.GOVERNMENT:
            return f"{adjective} government"
        return f"{adjective} {t.phrase}"

    @property
    def known(self) -> bool:
        return self.type is not SourceType.UNKNOWN

    @property
    def overridden(self) -> bool:
        return self.matched_by == "override"

    def stored(self) -> Provenance:
        """What storage keeps: type, country and whether an admin set it."""
        return Provenance(self.type, self.country, "override" if self.overridden else None)

    def as_override(self) -> Provenance:
        return Provenance(self.type, self.country, "override")

    @classmethod
    def of(cls, type_: str, country: str | None, *, override: bool = False) -> Provenance:
        """From stored or typed-in values (`type_` by name, `-` or `_`; country any case)."""
        code = country.strip().upper() if country and country.strip() else None
        return cls(SourceType.parse(type_), code, "override" if override else None)


UNKNOWN_PROVENANCE = Provenance()
