"""What provenance adds to answers and digests: "according to …" and "who disagrees" notes,
evidence shares by source type, and the "one side's state media only" flag."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from briefs.provenance.model import COUNTRY_ADJECTIVES, Provenance, SourceType

__all__ = [
    "LEANING_THRESHOLD",
    "answer_notes",
    "exclusion_note",
    "is_provenance_note",
    "one_side_official",
    "shares_text",
    "type_shares",
]

#: A brief's balance beyond ± this counts as leaning toward cooperation / tension.
LEANING_THRESHOLD = 0.1

_OFFICIAL = (SourceType.STATE_MEDIA, SourceType.GOVERNMENT)


def one_side_official(provenances: Iterable[Provenance]) -> str | None:
    """ "Iranian state media" when every item is one country's state media; "the Russian
    government" / "Russian state media and government sources" likewise; else None."""
    items = list(provenances)
    if not items or any(p.type not in _OFFICIAL or p.country is None for p in items):
        return None
    countries = {p.country for p in items}
    if len(countries) != 1:
        return None
    types = {p.type for p in items}
    if types == {SourceType.STATE_MEDIA}:
        return items[0].label
    country = items[0].country or ""
    adjective = COUNTRY_ADJECTIVES.get(country, country)
    if types == {SourceType.GOVERNMENT}:
        return f"the {adjective} government"
    return f"{adjective} state media and government sources"


def _numbers(ns: Sequence[int]) -> str:
    return "[" + ", ".join(str(n) for n in sorted(ns)) + "]"


def _leaning(balances: Sequence[float]) -> str | None:
    if not balances:
        return None
    mean = sum(balances) / len(balances)
    if mean > LEANING_THRESHOLD:
        return "cooperation"
    if mean < -LEANING_THRESHOLD:
        return "tension"
    return None


def answer_notes(cited: Sequence[tuple[int, Provenance, float | None]]) -> tuple[str, ...]:
    """Notes for an answer's cited sources, each given as (citation number, provenance,
    brief balance).

    * all from one side's state media (or government): "According to Iranian state media: …";
    * sources of different provenance: both groups listed, and when one group leans toward
      cooperation and another toward tension (by the briefs' balance), said so.
    """
    if not cited:
        return ()
    side = one_side_official(p for _, p, _ in cited)
    if side is not None:
        numbers = _numbers([n for n, _, _ in cited])
        return (f"According to {side}: all cited evidence {numbers} comes from {side}.",)
    groups: dict[str, list[tuple[int, float | None]]] = {}
    known: set[str] = set()
    for number, provenance, balance in sorted(cited, key=lambda c: c[0]):
        groups.setdefault(provenance.label, []).append((number, balance))
        if provenance.known:
            known.add(provenance.label)
    if len(groups) < 2 or len(known) < 2:
        return ()
    leanings = {
        label: _leaning([b for _, b in members if b is not None])
        for label, members in groups.items()
    }
    parts = []
    for label, members in groups.items():
        lean = leanings[label]
        toward = f" leans toward {lean}" if lean else ""
        parts.append(f"{label} {_numbers([n for n, _ in members])}{toward}")
    if {"cooperation", "tension"} <= set(leanings.values()):
        return ("Sources of different provenance disagree: " + "; ".join(parts) + ".",)
    return ("Sources of different provenance: " + "; ".join(parts) + ".",)


_PREFIXES = ("According to ", "Sources of different provenance")


def is_provenance_note(note: str) -> bool:
    """True for a note `answer_notes` wrote (to replace it when citations are renumbered)."""
    return note.startswith(_PREFIXES)


def exclusion_note(excluded: Iterable[SourceType]) -> str | None:
    names = sorted(t.phrase if t is not SourceType.GOVERNMENT else "government" for t in excluded)
    if not names:
        return None
    return "Excluded sources: " + ", ".join(names) + "."


def type_shares(provenances: Iterable[Provenance]) -> dict[str, float]:
    """Share of items by source type (values sum to 1), largest first; {} when empty."""
    counts = Counter(p.type.value for p in provenances)
    total = sum(counts.values())
    if not total:
        return {}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {name: count / total for name, count in ordered}


def shares_text(shares: Mapping[str, float]) -> str:
    """`state media 75% · wire service 25%`."""
    return " · ".join(f"{SourceType(name).phrase} {share:.0%}" for name, share in shares.items())
