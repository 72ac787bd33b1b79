"""Block Kit builders: limits under long and hostile input, escaping everywhere."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack_app import blocks as B
from briefs.answering.model import NOT_COVERED, Answer, Citation
from briefs.models import Brief, DateOrigin, DocumentBalance, NewBrief
from briefs.services.ingest import PreparedBrief
from tests.bot.slack_app.limits import assert_inert, assert_within_limits

HOSTILE = ["<!channel>", "<@U123>", "<https://evil|bank>", "&amp;", "& < >", "*bold*", "`x`", "\n"]

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), max_size=12).map(
    "".join
)
long_text = st.one_of(
    hostile_text,
    st.builds(lambda s, k: (s or "<!channel> & ") * k, hostile_text, st.integers(1, 900)),
)
urls = st.one_of(
    st.none(),
    st.just("https://example.org/a?b=1&c=<2>|x"),
    st.just("javascript:alert(1)"),
    st.just("https://evil|bank"),
    hostile_text.map(lambda s: "https://x.org/" + s),
)


@st.composite
def citations(draw: st.DrawFn, number: int) -> Citation:
    return Citation(
        number=number,
        brief_id=draw(st.integers(1, 10**6)),
        title=draw(long_text),
        published=dt.date(2016, 8, 22),
        date_inferred=draw(st.booleans()),
        outlet=draw(st.one_of(st.none(), hostile_text)),
        url=draw(urls),
        original_filename="x.md",
    )


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    abstained = draw(st.booleans())
    n = draw(st.sampled_from([0, 1, 3, 12, 70]))
    cites = tuple(draw(citations(i + 1)) for i in range(n))
    return Answer(
        question=draw(long_text),
        text=NOT_COVERED if abstained else draw(long_text) or "x",
        abstained=abstained,
        sources=() if abstained else cites,
        as_of=dt.date(2017, 1, 14),
        notes=tuple(draw(st.lists(hostile_text, max_size=15))),
        closest=cites if abstained else (),
        closest_evidence=draw(st.one_of(st.none(), long_text)),
        question_id=draw(st.one_of(st.none(), st.integers(1, 10**9))),
    )


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(answer=answers(), shareable=st.booleans())
def test_answer_message_within_limits_and_inert(answer: Answer, shareable: bool) -> None:
    message = B.answer_message(answer, shareable=shareable, share_value='{"q": 1}')
    assert_within_limits(message.blocks, message.text)
    assert_inert(message.blocks, message.text)


@settings(max_examples=200, deadline=None)
@given(text=long_text, limit=st.integers(20, 3000))
def test_split_text_respects_limit_and_keeps_words(text: str, limit: int) -> None:
    escaped = B.escape(text)
    chunks = B.split_text(escaped, limit)
    assert all(len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(escaped.split())  # only spaces dropped
    for chunk in chunks:  # never cut inside an entity
        assert not chunk.endswith(("&", "&a", "&am", "&l", "&g"))


@given(text=hostile_text, limit=st.integers(1, 200))
def test_clip_never_breaks_an_entity(text: str, limit: int) -> None:
    clipped = B.clip(B.escape(text), limit)
    assert len(clipped) <= limit
    core = clipped.removesuffix("…")
    assert not core.endswith(("&", "&a", "&am", "&l", "&g"))


def test_escape_is_slack_mrkdwn_escaping() -> None:
    assert B.escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"
    assert B.unescape(B.escape("a & <b>")) == "a & <b>"


def test_links_cannot_be_forged() -> None:
    assert B.link("https://evil|bank", "x") == "<https://evil%7Cbank|x>"
    assert B.link("javascript:alert(1)", "<b>") == "&lt;b&gt;"
    assert B.link("https://ok.org/?a=1&b=2", "t") == "<https://ok.org/?a=1&amp;b=2|t>"


def _brief(title: str, **kw: object) -> Brief:
    base: dict[str, object] = {
        "id": 7,
        "title": title,
        "original_filename": "evil.md",
        "source_url": "https://evil|bank",
        "outlet": "<!here>",
        "published": dt.date(2020, 1, 2),
        "date_origin": DateOrigin.TEXT,
        "ingested_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        "uploaded_by": "x",
        "content_hash": "h",
        "version": 1,
        "supersedes_id": None,
        "deleted": False,
    }
    base.update(kw)
    return Brief(**base)  # type: ignore[arg-type]


def test_catalog_messages_escape_brief_fields() -> None:
    evil = _brief("<!channel> & <@U123> <https://evil|bank>")
    for message in (
        B.brief_list_message([evil] * 300, page=1, per_page=300),
        B.brief_detail_message(
            evil, "<!channel> body " * 2000, passages=3, dyad_sentences=2, label_counts={"t": 1}
        ),
    ):
        assert_within_limits(message.blocks, message.text)
        assert_inert(message.blocks, message.text)
        assert "&lt;!channel&gt;" in str(message.blocks)


def test_preview_message_shows_status_and_escapes() -> None:
    new = NewBrief(
        title="<!channel> new",
        body="word " * 500,
        original_filename="a.md",
        source_url=None,
        outlet="<@U123>",
        published=dt.date(2021, 5, 1),
        date_origin=DateOrigin.UPLOAD,
        uploaded_by="slack:T1/U1",
        content_hash="h",
        minhash=(),
        bands=(),
        balance=DocumentBalance(0.4, ("military",), ("nuclear",)),
    )
    dup = PreparedBrief(new, "duplicate", _brief("<b>old</b>", id=3), 1.0)
    message = B.preview_message(dup, "a.md", None)
    assert "Duplicate of brief #3" in message.text
    assert not any(b["type"] == "actions" for b in message.blocks)
    near = PreparedBrief(new, "near_duplicate", _brief("old", id=3), 0.9)
    message = B.preview_message(near, "<!channel>.md", "tok")
    assert_within_limits(message.blocks, message.text)
    assert_inert(message.blocks, message.text)
    shown = str(message.blocks)
    assert "(date inferred)" in shown
    assert "500 words" in shown
    assert "+0.40" in shown
    assert "Store anyway" in shown
    assert "90% overlap" in shown
