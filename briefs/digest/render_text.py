"""Digests as Markdown, plain text and JSON, plus size-bounded sections for chat adapters.

``digest_sections`` is what the Discord embed / Slack Block Kit renderers build on: a header
and one section per track, already cut to fit a total character budget and a section count
(Discord: 25 fields, 1024 per value, 6000 per message; Slack: 50 blocks, 3000 per section).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from briefs.digest.model import Digest, TrackRow, fmt_balance, shorten

__all__ = [
    "Section",
    "digest_sections",
    "render_json",
    "render_markdown",
    "render_plain",
    "title_line",
]


def title_line(digest: Digest) -> str:
    w = digest.window
    kind = {"day": "Daily", "week": "Weekly", "month": "Monthly"}.get(w.kind.value, "Custom")
    late = " (late)" if digest.late else ""
    return f"{kind} Russia–Iran digest · {w.label} ({w.tz}){late}"


def _filter_line(digest: Digest) -> str | None:
    if digest.tracks_filter is None:
        return None
    return "Tracks: " + ", ".join(digest.tracks_filter)


def _overall_line(digest: Digest) -> str:
    o = digest.overall
    intensity = fmt_balance(o.intensity_balance)
    return (
        f"Overall {o.direction.arrow} {fmt_balance(o.balance)} "
        f"(previous {digest.previous.label}: {fmt_balance(o.previous_balance)}) · "
        f"{o.cooperation} cooperation / {o.tension} tension sentences · "
        f"intensity {intensity} · {o.sources} source{'s' if o.sources != 1 else ''}"
    )


def _evidence_line(text: str, citation: int, label: str) -> str:
    tag = "coop" if label == "cooperation" else "tension"
    return f"“{text}” [{citation}] ({tag})"


def _footer(digest: Digest) -> str:
    return (
        f"digest {digest.id} · arrows need |Δbalance| ≥ {digest.threshold:.2f} and at least "
        f"{digest.min_sentences} sentences · explain a number: "
        f"`digest explain {digest.id} <track>`"
    )


def render_markdown(digest: Digest) -> str:
    out: list[str] = [f"## {title_line(digest)}", "", f"**{digest.headline}**", ""]
    flt = _filter_line(digest)
    if flt:
        out += [f"_{flt}_", ""]
    out += [_overall_line(digest), ""]
    if digest.tracks:
        out += [
            "| | Track | Balance | Previous | Coop | Tension | Sources | Intensity |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in digest.tracks:
            out.append(
                f"| {row.direction.arrow} | {row.title} | {_bal_cell(row)} | "
                f"{fmt_balance(row.previous_balance)} | {row.cooperation} | {row.tension} | "
                f"{row.sources} | {fmt_balance(row.intensity_balance)} |"
            )
        out.append("")
        out += _provenance_lines(digest)
        with_evidence = [row for row in digest.tracks if row.evidence]
        if with_evidence:
            out += ["### Evidence", ""]
            for row in with_evidence:
                out.append(f"**{row.title}** {row.direction.arrow}")
                for ev in row.evidence:
                    out.append(f"- {_evidence_line(ev.text, ev.citation, ev.label)}")
                out.append("")
    else:
        out += ["_No cooperation or tension sentences in this window._", ""]
    if digest.new_in_corpus:
        out += [f"### New in the corpus ({len(digest.new_in_corpus)})", ""]
        for n in digest.new_in_corpus:
            outlet = f"{n.outlet}, " if n.outlet else ""
            back = " — backfill (published before this window)" if n.backfill else ""
            out.append(f"- #{n.brief_id} {n.title} ({outlet}{n.published.isoformat()}){back}")
        out.append("")
    if digest.sources:
        out += ["### Sources", ""]
        for s in digest.sources:
            outlet = f" — {s.source_label}" if s.source_label else ""
            link = f" — <{s.url}>" if s.url else ""
            out.append(
                f"[{s.citation}] {s.title}{outlet}, {s.published.isoformat()}{link} "
                f"(brief #{s.brief_id})"
            )
        out.append("")
    out.append(f"_{_footer(digest)}_")
    return "\n".join(out) + "\n"


def _provenance_lines(digest: Digest) -> list[str]:
    """Who the evidence comes from, per track, with a flag where one side's state media
    alone moved a track: ``**▼ nuclear — Russian state media only**``."""
    rows = [row for row in digest.tracks if row.provenance]
    if all(set(row.provenance) <= {"unknown"} for row in rows):
        return []  # nothing is known about who is speaking: say nothing
    out = ["### Evidence by source type", ""]
    flags = [row.provenance_flag for row in rows if row.provenance_flag]
    out += [f"**{flag}**" for flag in flags]
    if flags:
        out.append("")
    out += [f"- {row.title}: {row.provenance_text()}" for row in rows]
    out.append("")
    return out


def _bal_cell(row: TrackRow) -> str:
    if row.direction.value == "insufficient":
        return f"insufficient ({row.total})"
    return fmt_balance(row.balance)


def render_plain(digest: Digest) -> str:
    out: list[str] = [title_line(digest), "", digest.headline, ""]
    flt = _filter_line(digest)
    if flt:
        out += [flt, ""]
    out += [_overall_line(digest), ""]
    if not digest.tracks:
        out += ["No cooperation or tension sentences in this window.", ""]
    for row in digest.tracks:
        out.append(row.summary())
        if row.provenance_flag:
            out.append(f"    ! {row.provenance_flag}")
        for ev in row.evidence:
            out.append(f"    - {_evidence_line(ev.text, ev.citation, ev.label)}")
    if digest.tracks:
        out.append("")
    if digest.new_in_corpus:
        out.append(f"New in the corpus ({len(digest.new_in_corpus)}):")
        for n in digest.new_in_corpus:
            back = " [backfill]" if n.backfill else ""
            out.append(f"  #{n.brief_id} {n.title} ({n.published.isoformat()}){back}")
        out.append("")
    if digest.sources:
        out.append("Sources:")
        for s in digest.sources:
            outlet = f" — {s.source_label}" if s.source_label else ""
            link = f" {s.url}" if s.url else ""
            out.append(f"  [{s.citation}] {s.title}{outlet}, {s.published.isoformat()}{link}")
        out.append("")
    out.append(_footer(digest).replace("`", ""))
    return "\n".join(out) + "\n"


def render_json(digest: Digest) -> str:
    return json.dumps(digest.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    body: str

    @property
    def size(self) -> int:
        return len(self.title) + len(self.body)


def _track_section(row: TrackRow, evidence_chars: int, max_value: int, max_title: int) -> Section:
    lines: list[str] = []
    if evidence_chars > 0:
        for ev in row.evidence:
            lines.append("• " + _evidence_line(ev.short(evidence_chars), ev.citation, ev.label))
    if row.provenance_flag:
        lines.insert(0, f"⚠ {row.provenance_flag}")
    body = "\n".join(lines) or f"{row.cooperation} coop / {row.tension} tension"
    return Section(shorten(row.summary(), max_title), shorten_block(body, max_value))


def shorten_block(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rstrip() + "…"


def digest_sections(
    digest: Digest,
    *,
    max_total: int = 6000,
    max_sections: int = 25,
    max_title: int = 256,
    max_value: int = 1024,
) -> list[Section]:
    """Header, one section per track (evidence trimmed to fit), sources; within all limits.

    The first section's title is the digest title and its body the headline plus the overall
    line. When tracks do not fit, the remaining ones are folded into a last "More tracks"
    section of one-line summaries ending with a hint to run ``digest explain``.
    """
    header = Section(
        shorten(title_line(digest), max_title),
        shorten_block(f"{digest.headline}\n{_overall_line(digest)}", max_value),
    )
    footer = Section("", shorten_block(_footer(digest), max_value))
    sources_body = "\n".join(
        f"[{s.citation}] {shorten(s.title, 60)}"
        + (f" — {s.source_label}" if s.source_label else "")
        for s in digest.sources
    )
    fixed = [header]
    budget = max_total - header.size - footer.size
    sources = Section("Sources", shorten_block(sources_body, max_value)) if sources_body else None
    if sources is not None:
        budget -= sources.size
    slots = max_sections - 1 - (1 if sources else 0) - 1  # header, sources, footer
    rows = list(digest.tracks)
    for evidence_chars in (300, 200, 140, 90, 60, 0):
        secs = [_track_section(r, evidence_chars, max_value, max_title) for r in rows]
        if len(secs) <= slots and sum(s.size for s in secs) <= budget:
            break
    else:
        secs = [_track_section(r, 0, max_value, max_title) for r in rows]
    if len(secs) > slots or sum(s.size for s in secs) > budget:
        kept: list[Section] = []
        used = 0
        reserve = 200  # room for the "More tracks" section
        for sec in secs:
            if len(kept) + 1 >= slots or used + sec.size > budget - reserve:
                break
            kept.append(sec)
            used += sec.size
        rest = rows[len(kept) :]
        lines: list[str] = []
        room = min(max_value, budget - used - len("More tracks")) - 80
        for r in rest:
            line = shorten(r.summary(), 120)
            if sum(len(x) + 1 for x in lines) + len(line) + 1 > room:
                break
            lines.append(line)
        hidden = len(rest) - len(lines)
        if hidden:
            lines.append(f"… and {hidden} more track{'s' if hidden != 1 else ''}: `digest explain`")
        secs = [*kept, Section("More tracks", "\n".join(lines))]
    out = [*fixed, *secs]
    if sources is not None:
        out.append(sources)
    out.append(footer)
    return out
