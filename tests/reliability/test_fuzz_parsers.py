"""Fuzz every parser and renderer with ≥ 10,000 generated inputs (hypothesis, ``slow``).

Targets: the question sanitiser (`plan_query`), the front-matter and Markdown parsers,
`parse_document` under each extension (.txt, .md, .html, .pdf — random bytes, steered
documents and damaged real PDFs) and the digest renderers (`render_markdown`,
`render_plain`, `render_json`, `digest_sections` within its limits). The only exception
allowed out of any of them is a `briefs.errors.UserError` with a message.

``derandomize=True``: every run draws the same inputs. ``FUZZ_SCALE`` (default 1) multiplies
the example counts, e.g. ``FUZZ_SCALE=0.1`` for a quick local pass (the ≥ 10,000 assertion
only applies at scale ≥ 1).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.digest.model import Digest, Direction, Evidence, NewInCorpus, Source, TrackRow
from briefs.digest.render_text import digest_sections, render_json, render_markdown, render_plain
from briefs.digest.windows import Window, WindowKind
from briefs.errors import UserError
from briefs.indicators.tracks import TRACKS
from briefs.ingestion import parse_document
from briefs.ingestion.front_matter import split_front_matter
from briefs.ingestion.markdown import markdown_to_text
from briefs.retrieval.query import plan_query
from tests.briefs.ingestion.pdfs import make_pdf
from tests.briefs.ingestion.test_properties import FRAGMENTS

pytestmark = pytest.mark.slow

SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
MAX_BYTES = 2**20

# examples per target (× FUZZ_SCALE); the total is ≥ 10,000 at scale 1
BUDGET = {
    "plan_query": 2500,
    "front_matter+markdown": 1500,
    "parse .txt": 1000,
    "parse .md": 1000,
    "parse .html": 1000,
    "parse .pdf (random)": 500,
    "parse .pdf (damaged)": 1000,
    "digest renderers": 1500,
}

calls: Counter[str] = Counter()
user_errors: Counter[str] = Counter()


def fuzz_settings(target: str) -> settings:
    return settings(
        max_examples=max(1, int(BUDGET[target] * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def only_user_errors(target: str, work: Callable[[], Any]) -> Any:
    calls[target] += 1
    try:
        result = work()
    except UserError as exc:
        message = exc.message
    else:
        return result
    user_errors[target] += 1
    assert message.strip(), f"{target}: a UserError without a message"
    return None


# ----------------------------------------------------------------------------- strategies

QUESTION_BITS = st.sampled_from(
    [
        "Russia",
        "Iran",
        "since 2022",
        "after the Ukraine war",
        "latest",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        '"',
        "title:",
        "*",
        "^",
        "{}",
        "& ! | :* <-> <2>",
        "'; DROP TABLE briefs; --",
        "@everyone",
        "<!channel>",
        "<@U123>",
        "[bank](https://evil.example)",
        "\u200b",
        "\u202e",
        "\u2066",
        "\x00",
        "\t\n",
        "S-300",
        "JCPOA",
        "North–South",
    ]
)
QUESTIONS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(QUESTION_BITS, st.text(max_size=12)), max_size=40).map(" ".join),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
        min_size=900,
        max_size=1300,
    ),
)
YAML_BITS = st.sampled_from(
    [
        "title: Treaty",
        "title: [a, b]",
        "title: {x: 1}",
        "date: 2016-08-22",
        "date: 2016-13-45",
        "date: yesterday",
        "date: [2016, 1]",
        "outlet: Reuters",
        "source: https://example.com/a",
        "source: javascript:alert(1)",
        "url: not a url",
        "tags: [a, b, c]",
        "tags: a, b",
        "tags: {x: y}",
        "&anchor a: *anchor",
        "? complex key",
        "- list item",
        "key: 'unterminated",
        'key: "esc \\x"',
        "!!python/object:os.system x",
        "%YAML 1.2",
        "  indented: yes",
        "",
    ]
)
FRONT_MATTER_DOCS = st.builds(
    lambda head, body, opener: f"{opener}\n" + "\n".join(head) + "\n---\n" + body,
    st.lists(st.one_of(YAML_BITS, st.text(max_size=30)), max_size=12),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=60)), max_size=20).map("\n".join),
    st.sampled_from(["---", "---\r", "--- ", "----"]),
)
DOCUMENT_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=80)), max_size=30).map("\n".join)
HTML_BITS = st.sampled_from(
    [
        "<html>",
        "<head><title>Treaty | Site</title>",
        '<meta property="article:published_time" content="2016-08-22T10:00:00Z">',
        '<meta name="date" content="not a date">',
        "</head><body>",
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        "<nav>Home | News</nav>",
        "<article><h1>Russia and Iran</h1>",
        "<p>Russia and Iran signed a treaty on 17 January 2025.</p>",
        "<p>unclosed",
        "<![CDATA[x]]>",
        "<!-- comment",
        "&amp;&lt;&#x202e;&#0;&bogus;",
        "<table><tr><td>cell",
        "<iframe src=javascript:x>",
        "</article></body></html>",
    ]
)
HTML_DOCS = st.lists(st.one_of(HTML_BITS, st.text(max_size=40)), max_size=40).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "utf-8-sig"])


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


TEXTY = st.text(max_size=60)
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
BALANCES = st.one_of(st.none(), st.floats(min_value=-1, max_value=1, allow_nan=False))
EVIDENCE = st.builds(
    Evidence,
    sentence_id=st.integers(0, 10**6),
    brief_id=st.integers(0, 10**6),
    citation=st.integers(1, 60),
    text=st.text(max_size=600),
    label=st.sampled_from(["cooperation", "tension", "historical", "neutral", ""]),
    score=st.floats(min_value=-1, max_value=1, allow_nan=False),
)


@st.composite
def track_rows(draw: Any, track: str | None = None) -> TrackRow:
    return TrackRow(
        track=track or draw(st.one_of(st.sampled_from(TRACKS), TEXTY)),
        cooperation=draw(st.integers(0, 10**5)),
        tension=draw(st.integers(0, 10**5)),
        balance=draw(BALANCES),
        intensity_balance=draw(BALANCES),
        sources=draw(st.integers(0, 500)),
        briefs=draw(st.integers(0, 500)),
        previous_balance=draw(BALANCES),
        previous_total=draw(st.integers(0, 10**5)),
        direction=draw(st.sampled_from(list(Direction))),
        historical=draw(st.integers(0, 100)),
        duplicates=draw(st.integers(0, 100)),
        evidence=tuple(draw(st.lists(EVIDENCE, max_size=6))),
        provenance=draw(
            st.dictionaries(
                st.sampled_from(["state_media", "wire", "independent", "unknown", "x"]),
                st.integers(0, 50),
                max_size=4,
            )
        ),
        provenance_only=draw(st.one_of(st.none(), TEXTY)),
    )


@st.composite
def digests(draw: Any) -> Digest:
    start = draw(DATES)
    days = draw(st.integers(1, 40))
    window = Window(WindowKind.EXPLICIT, start, start + dt.timedelta(days=days))
    previous = Window(WindowKind.EXPLICIT, start - dt.timedelta(days=days), start)
    sources = draw(
        st.lists(
            st.builds(
                Source,
                citation=st.integers(1, 60),
                brief_id=st.integers(1, 10**6),
                title=st.text(max_size=200),
                published=DATES,
                outlet=st.one_of(st.none(), TEXTY),
                url=st.one_of(st.none(), st.just("https://example.com/a"), TEXTY),
            ),
            max_size=30,
        )
    )
    new = draw(
        st.lists(
            st.builds(
                NewInCorpus,
                brief_id=st.integers(1, 10**6),
                title=st.text(max_size=120),
                published=DATES,
                ingested_at=st.just(NOW),
                outlet=st.one_of(st.none(), TEXTY),
                url=st.one_of(st.none(), TEXTY),
                backfill=st.booleans(),
            ),
            max_size=8,
        )
    )
    return Digest(
        id=draw(st.text(min_size=1, max_size=20)),
        window=window,
        previous=previous,
        generated_at=NOW,
        headline=draw(st.text(max_size=400)),
        overall=draw(track_rows("overall")),
        tracks=tuple(draw(st.lists(track_rows(), max_size=12))),
        sources=tuple(sources),
        new_in_corpus=tuple(new),
        tracks_filter=draw(st.one_of(st.none(), st.lists(TEXTY, max_size=3).map(tuple))),
        late=draw(st.booleans()),
        extra=draw(st.dictionaries(TEXTY, TEXTY, max_size=3)),
    )


# ---------------------------------------------------------------------------------- runs


def _parse(target: str, name: str, data: bytes) -> None:
    only_user_errors(target, lambda: parse_document(name, data, max_bytes=MAX_BYTES, now=NOW))


def run_plan_query() -> None:
    @fuzz_settings("plan_query")
    @given(QUESTIONS)
    def fuzz(question: str) -> None:
        plan = only_user_errors("plan_query", lambda: plan_query(question, today=TODAY))
        if plan is not None:
            assert not any(c in plan.question for c in "\x00\u200b\u202e")
            plan.search_query(20)
            plan.search_query(20, strict=True)

    fuzz()


def run_front_matter() -> None:
    @fuzz_settings("front_matter+markdown")
    @given(st.one_of(FRONT_MATTER_DOCS, DOCUMENT_TEXT))
    def fuzz(text: str) -> None:
        def work() -> None:
            _, body = split_front_matter(text)
            title, plain = markdown_to_text(body)
            assert title is None or isinstance(title, str)
            assert isinstance(plain, str)

        only_user_errors("front_matter+markdown", work)

    fuzz()


def run_parse(extension: str) -> None:
    target = f"parse {extension}"
    steered = {".md": FRONT_MATTER_DOCS, ".html": HTML_DOCS}.get(extension, DOCUMENT_TEXT)

    @fuzz_settings(target)
    @given(
        st.one_of(
            st.binary(max_size=4096),
            st.builds(encoded, st.one_of(steered, DOCUMENT_TEXT), ENCODINGS),
        )
    )
    def fuzz(data: bytes) -> None:
        _parse(target, f"upload{extension}", data)

    fuzz()


def run_pdf_random() -> None:
    target = "parse .pdf (random)"

    @fuzz_settings(target)
    @given(st.binary(max_size=4096), st.sampled_from([b"", b"%PDF-1.4\n", b"%PDF-1.7\n%\xe2\xe3"]))
    def fuzz(data: bytes, header: bytes) -> None:
        _parse(target, "upload.pdf", header + data)

    fuzz()


PDF = make_pdf(
    [["Russia and Iran signed a treaty in Moscow.", "Iran and Russia held talks in 2016."]],
    title="Treaty",
)


def run_pdf_damaged() -> None:
    target = "parse .pdf (damaged)"

    @fuzz_settings(target)
    @given(
        st.binary(min_size=1, max_size=256),
        st.integers(min_value=0),
        st.sampled_from(["overwrite", "insert", "truncate"]),
    )
    def fuzz(patch: bytes, cut: int, how: str) -> None:
        at = cut % len(PDF)
        if how == "overwrite":
            data = PDF[:at] + patch + PDF[at + len(patch) :]
        elif how == "insert":
            data = PDF[:at] + patch + PDF[at:]
        else:
            data = PDF[:at]
        _parse(target, "brief.pdf", data)

    fuzz()


SECTION_LIMITS: tuple[dict[str, int], ...] = (
    {"max_total": 5800},  # bot.discord_app.render.digest_embed
    {"max_total": 24000, "max_sections": 40, "max_title": 150, "max_value": 2400},  # Slack
)


def run_renderers() -> None:
    target = "digest renderers"

    @fuzz_settings(target)
    @given(digests())
    def fuzz(digest: Digest) -> None:
        def work() -> None:
            assert render_markdown(digest).strip()
            assert render_plain(digest).strip()
            assert render_json(digest).strip()
            for limits in SECTION_LIMITS:  # what the Discord and Slack adapters ask for
                sections = digest_sections(digest, **limits)
                assert len(sections) <= limits.get("max_sections", 25)
                assert all(len(s.title) <= limits.get("max_title", 256) for s in sections)
                assert all(len(s.body) <= limits.get("max_value", 1024) for s in sections)

        only_user_errors(target, work)

    fuzz()


RUNS: dict[str, Callable[[], None]] = {
    "plan_query": run_plan_query,
    "front_matter+markdown": run_front_matter,
    "parse .txt": lambda: run_parse(".txt"),
    "parse .md": lambda: run_parse(".md"),
    "parse .html": lambda: run_parse(".html"),
    "parse .pdf (random)": run_pdf_random,
    "parse .pdf (damaged)": run_pdf_damaged,
    "digest renderers": run_renderers,
}


def test_fuzz_parsers_and_renderers(record_figure: Any) -> None:
    calls.clear()
    user_errors.clear()
    seconds: dict[str, float] = {}
    for target, run in RUNS.items():
        started = time.perf_counter()
        run()
        seconds[target] = round(time.perf_counter() - started, 1)
    total = sum(calls.values())
    record_figure(
        "fuzz_parsers",
        total_inputs=total,
        seconds_total=round(sum(seconds.values()), 1),
        inputs=dict(calls),
        user_errors=dict(user_errors),
        seconds=seconds,
        other_exceptions=0,  # any other exception fails the test above
    )
    assert set(calls) == set(RUNS)
    if SCALE >= 1:
        assert total >= 10_000
