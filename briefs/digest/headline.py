"""The one-line, CrisisWatch-style verdict: overall arrow plus the tracks that moved most."""

from __future__ import annotations

from collections.abc import Sequence

from briefs.digest.model import Direction, TrackRow, fmt_balance

__all__ = ["headline"]

_VERDICT = {
    Direction.UP: "Toward cooperation",
    Direction.DOWN: "Toward tension",
    Direction.FLAT: "Broadly unchanged",
    Direction.NO_BASELINE: "No earlier period to compare",
    Direction.INSUFFICIENT: "Insufficient evidence",
}


def _name(row: TrackRow) -> str:
    return row.title.lower()


def _delta(row: TrackRow) -> str:
    d = row.delta
    return "" if d is None else f" {fmt_balance(d)}"


def headline(
    overall: TrackRow, tracks: Sequence[TrackRow], *, window_label: str = "", max_named: int = 2
) -> str:
    """E.g. ``▼ Toward tension (+0.20 → −0.33): nuclear ▼ −0.80 and ukraine ▼ −0.50 moved most.``"""
    verdict = _VERDICT[overall.direction]
    arrow = overall.direction.arrow
    where = f" in {window_label}" if window_label else ""
    if overall.direction is Direction.INSUFFICIENT:
        n = overall.total
        return (
            f"{arrow} {verdict}: only {n} cooperation/tension sentence{'s' if n != 1 else ''}"
            f"{where}, below the minimum of evidence for a verdict."
        )
    movers = sorted(
        (r for r in tracks if r.direction.moved and r.delta is not None),
        key=lambda r: (-abs(r.delta or 0.0), r.track),
    )
    if overall.direction is Direction.NO_BASELINE:
        busiest = sorted(tracks, key=lambda r: (-r.total, r.track))[:max_named]
        named = ", ".join(f"{_name(r)} {fmt_balance(r.balance)}" for r in busiest if r.total)
        tail = f"; most evidence on {named}" if named else ""
        return f"{arrow} Balance {fmt_balance(overall.balance)}{where} ({verdict.lower()}){tail}."
    change = f"{fmt_balance(overall.previous_balance)} → {fmt_balance(overall.balance)}"
    if not movers:
        return f"{arrow} {verdict} ({change}): no track moved by the threshold or more."
    named_rows = movers[:max_named]
    parts = [f"{_name(r)} {r.direction.arrow}{_delta(r)}" for r in named_rows]
    named = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "moved most" if len(movers) > 1 else "moved"
    sentence = f"{arrow} {verdict} ({change}): {named} {verb}"
    against = [
        r
        for r in movers[max_named:]
        if overall.direction.moved and r.direction is not overall.direction
    ]
    others = len(movers) - len(named_rows)
    if against:
        sentence += f"; {_name(against[0])} {against[0].direction.arrow} went the other way"
    elif others:
        sentence += f"; {others} other track{'s' if others != 1 else ''} moved too"
    return sentence + "."
