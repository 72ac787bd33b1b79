"""``DigestService``: build a digest for a window, its history for the chart, and explain it.

Its result types (``BalanceHistory``, ``Explanation``, ``ExplainedSentence``) and
``render_explanation`` live in ``briefs.digest._results`` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

from briefs.clock import SystemClock
from briefs.digest._results import (
    BalanceHistory,
    ExplainedSentence,
    Explanation,
    render_explanation,
)
from briefs.digest.aggregate import (
    AggregateSettings,
    Balanced,
    Counted,
    Pair,
    TrackTally,
    WindowTally,
    count_windows,
    direction,
    order_tracks,
    source_key,
    tally,
)
from briefs.digest.headline import headline
from briefs.digest.model import (
    Digest,
    Evidence,
    NewInCorpus,
    Source,
    TrackRow,
)
from briefs.digest.ports import DigestRepository, IngestedBriefs
from briefs.digest.windows import (
    InvalidWindowError,
    Window,
    WindowKind,
    local_today,
    make_window,
    parse_kind,
    previous_window,
    trailing_windows,
    zone,
)
from briefs.errors import UserError
from briefs.models import Brief, Provenance, StoredSentence
from briefs.ports import Clock, SentenceRepository
from briefs.provenance.notes import one_side_official

__all__ = [
    "BalanceHistory",
    "DigestNotFoundError",
    "DigestService",
    "ExplainedSentence",
    "Explanation",
    "SystemClock",
    "render_explanation",
]

Row = tuple[StoredSentence, Brief]


class DigestNotFoundError(UserError):
    pass


def _window_arg(
    window: Window | WindowKind | str, end: dt.date | None, tz: str, clock: Clock
) -> Window:
    if isinstance(window, Window):
        return window
    kind = parse_kind(window) if isinstance(window, str) else window
    if kind is WindowKind.EXPLICIT:
        raise InvalidWindowError("pass a Window for an explicit date range")
    return make_window(kind, end if end is not None else local_today(clock.now(), tz), tz)


class DigestService:
    def __init__(
        self,
        sentences: SentenceRepository,
        *,
        ingested: IngestedBriefs | None = None,
        digests: DigestRepository | None = None,
        clock: Clock | None = None,
        settings: AggregateSettings | None = None,
        default_tz: str = "UTC",
    ) -> None:
        self._sentences = sentences
        self._ingested = ingested
        self._digests = digests
        self._clock: Clock = clock or SystemClock()
        self._settings = settings or AggregateSettings()
        self._tz = default_tz

    @property
    def settings(self) -> AggregateSettings:
        return self._settings

    async def build(
        self,
        window: Window | WindowKind | str,
        end: dt.date | None = None,
        tracks: Sequence[str] | None = None,
        tz: str | None = None,
        *,
        save: bool = True,
        late: bool = False,
    ) -> Digest:
        """Build (and, with a repository, store) the digest of ``window`` ending at ``end``.

        ``end`` is exclusive and defaults to today in ``tz``: ``build("week")`` on a Monday
        covers the previous Monday–Sunday.
        """
        tz = tz or (window.tz if isinstance(window, Window) else self._tz)
        zone(tz)
        win = _window_arg(window, end, tz, self._clock)
        prev = previous_window(win)
        wanted = tuple(order_tracks(tracks)) if tracks else None
        rows = await self._sentences.published_between(prev.start, win.end)
        start, stop = win.start, win.end
        current = tally([r for r in rows if start <= r[1].published < stop], wanted)
        # the previous window only needs counts: no per-sentence objects for it
        counts = count_windows(rows, [(prev.start, prev.end)], wanted)[0]
        previous = {name: Pair(co, te) for name, (co, te) in counts.items()}
        new = await self._new_in_corpus(win)
        digest = self._assemble(win, prev, current, previous, wanted, new, late)
        if save and self._digests is not None:
            await self._digests.save(digest)
        return digest

    async def _new_in_corpus(self, win: Window) -> tuple[NewInCorpus, ...]:
        if self._ingested is None:
            return ()
        briefs = await self._ingested.ingested_between(win.start_utc, win.end_utc)
        items = [
            NewInCorpus(
                b.id,
                b.title,
                b.published,
                b.ingested_at,
                b.outlet,
                b.source_url,
                b.published < win.start,
            )
            for b in briefs
            if not b.deleted
        ]
        items.sort(key=lambda n: (n.ingested_at, n.brief_id))
        return tuple(items)

    def _row(
        self,
        name: str,
        cur: TrackTally,
        prev: Balanced,
        evidence: tuple[Evidence, ...],
    ) -> TrackRow:
        per_brief = list(cur.per_brief().values())  # brief-level figures: once per brief
        provenance: dict[str, int] = {}  # keys in order of first appearance, as Counter did
        for b, n in per_brief:
            kind = b.provenance.type.value
            provenance[kind] = provenance.get(kind, 0) + n
        return TrackRow(
            track=name,
            cooperation=len(cur.cooperation),
            tension=len(cur.tension),
            balance=cur.balance,
            intensity_balance=cur.intensity_balance,
            sources=len({source_key(b) for b, _ in per_brief}),
            briefs=len(per_brief),
            previous_balance=prev.balance if prev.total >= self._settings.min_sentences else None,
            previous_total=prev.total,
            direction=direction(cur, prev, self._settings),
            historical=len(cur.historical),
            duplicates=len(cur.duplicates),
            evidence=evidence,
            cooperation_ids=tuple(sorted(c.sentence.id for c in cur.cooperation)),
            tension_ids=tuple(sorted(c.sentence.id for c in cur.tension)),
            historical_ids=tuple(sorted(s.id for s in cur.historical)),
            duplicate_ids=tuple(sorted(s.id for s in cur.duplicates)),
            provenance=provenance,
            # one brief's sentences share its provenance: one item per brief says the same
            provenance_only=one_side_official(b.provenance for b, _ in per_brief),
        )

    def _assemble(
        self,
        win: Window,
        prev: Window,
        current: WindowTally,
        previous: dict[str, Pair],
        wanted: tuple[str, ...] | None,
        new: tuple[NewInCorpus, ...],
        late: bool,
    ) -> Digest:
        names = (
            list(wanted)
            if wanted is not None
            else order_tracks(set(current.tracks) | set(previous))
        )
        citations: dict[int, int] = {}
        cited: dict[int, Brief] = {}

        def cite(c: Counted) -> Evidence:
            n = citations.setdefault(c.brief.id, len(citations) + 1)
            cited[c.brief.id] = c.brief
            a = c.sentence.analysis
            return Evidence(c.sentence.id, c.brief.id, n, a.text, a.label, a.score)

        rows: list[TrackRow] = []
        for name in names:
            cur, prv = current.get(name), previous.get(name, Pair())
            if wanted is None and cur.total == 0 and prv.total == 0 and not cur.historical:
                continue
            ev = tuple(cite(c) for c in cur.evidence(self._settings.evidence_per_track))
            rows.append(self._row(name, cur, prv, ev))
        prev_overall = Pair(
            sum(previous[n].cooperation for n in names if n in previous),
            sum(previous[n].tension for n in names if n in previous),
        )
        overall = self._row("overall", current.overall(names), prev_overall, evidence=())
        head = headline(overall, rows, window_label=win.label)
        sources = tuple(
            Source(
                n,
                bid,
                cited[bid].title,
                cited[bid].published,
                cited[bid].outlet,
                cited[bid].source_url,
                Provenance(cited[bid].provenance.type, cited[bid].provenance.country),
            )
            for bid, n in sorted(citations.items(), key=lambda kv: kv[1])
        )
        digest = Digest(
            id="",
            window=win,
            previous=prev,
            generated_at=self._clock.now(),
            headline=head,
            overall=overall,
            tracks=tuple(rows),
            sources=sources,
            new_in_corpus=new,
            tracks_filter=wanted,
            threshold=self._settings.threshold,
            min_sentences=self._settings.min_sentences,
            late=late,
        )
        return _with_id(digest)

    async def history(
        self,
        window: Window | WindowKind | str,
        end: dt.date | None = None,
        *,
        count: int = 8,
        tracks: Sequence[str] | None = None,
        tz: str | None = None,
    ) -> BalanceHistory:
        """Balance per track over ``count`` consecutive windows ending with this one."""
        tz = tz or (window.tz if isinstance(window, Window) else self._tz)
        win = _window_arg(window, end, tz, self._clock)
        wins = trailing_windows(win, count)
        wanted = tuple(order_tracks(tracks)) if tracks else None
        rows = await self._sentences.published_between(wins[0].start, wins[-1].end)
        counts = count_windows(rows, [(w.start, w.end) for w in wins], wanted)
        names = list(wanted) if wanted is not None else order_tracks({t for c in counts for t in c})
        balances: dict[str, list[float | None]] = {}
        totals: dict[str, list[int]] = {}
        for name in names:
            vals: list[float | None] = []
            tots: list[int] = []
            for c in counts:
                co, te = c.get(name, (0, 0))
                tots.append(co + te)
                ok = co + te >= self._settings.min_sentences
                vals.append((co - te) / (co + te) if ok else None)
            balances[name] = vals
            totals[name] = tots
        return BalanceHistory(tuple(wins), balances, totals)

    async def chart(
        self,
        window: Window | WindowKind | str,
        end: dt.date | None = None,
        *,
        count: int = 8,
        tracks: Sequence[str] | None = None,
        tz: str | None = None,
    ) -> bytes:
        hist = await self.history(window, end, count=count, tracks=tracks, tz=tz)
        from briefs.digest.chart import balance_chart  # matplotlib loads only when charting

        return balance_chart(hist.labels, hist.balances)

    async def explain(self, digest_id: str, track: str) -> Explanation:
        """The sentences behind a track's numbers in a stored digest."""
        if self._digests is None:
            raise DigestNotFoundError("digests are not stored in this setup")
        digest = await self._digests.get(digest_id)
        if digest is None:
            raise DigestNotFoundError(f"no digest with id {digest_id}")
        row = digest.track(track)
        if row is None:
            known = ", ".join(["overall", *(r.track for r in digest.tracks)])
            raise DigestNotFoundError(f"track '{track}' is not in digest {digest_id} ({known})")
        roles: dict[int, str] = {}
        for role, ids in (
            ("cooperation", row.cooperation_ids),
            ("tension", row.tension_ids),
            ("historical", row.historical_ids),
            ("duplicate", row.duplicate_ids),
        ):
            for i in ids:
                roles[i] = role
        rows = await self._sentences.published_between(
            digest.window.start, digest.window.end, dyad_only=True
        )
        found: list[ExplainedSentence] = []
        for s, b in rows:
            found_role = roles.get(s.id)
            if found_role is None:
                continue
            a = s.analysis
            found.append(
                ExplainedSentence(
                    s.id,
                    found_role,
                    a.text,
                    a.label,
                    a.mode,
                    a.score,
                    a.confidence,
                    b.id,
                    b.title,
                    b.published,
                    b.outlet,
                )
            )
        order = {"cooperation": 0, "tension": 1, "historical": 2, "duplicate": 3}
        found.sort(key=lambda e: (order[e.role], -abs(e.score), e.sentence_id))
        return Explanation(digest.id, track, row, tuple(found), len(roles) - len(found))


def _with_id(digest: Digest) -> Digest:
    """Content-addressed id: the same inputs give the same id (idempotent saves)."""
    data = digest.to_dict()
    data.pop("id")
    data.pop("generated_at")
    data.pop("late")
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    w = digest.window
    short = hashlib.sha256(blob).hexdigest()[:10]
    new_id = f"{w.kind.value[0]}{w.start:%Y%m%d}-{short}"
    return Digest(
        new_id,
        digest.window,
        digest.previous,
        digest.generated_at,
        digest.headline,
        digest.overall,
        digest.tracks,
        digest.sources,
        digest.new_in_corpus,
        digest.tracks_filter,
        digest.threshold,
        digest.min_sentences,
        digest.late,
        dict(digest.extra),
    )
