"""Every embed the renderers build stays within Discord's limits, whatever the input."""

from __future__ import annotations

import datetime as dt
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord

from bot.discord_app.render import (
    answer_embed,
    clip,
    fit_content,
    fit_embed,
    fit_message,
    neutralize,
)
from briefs.answering.model import NOT_COVERED, Answer, Citation
from tests.bot.discord_app.limits import assert_message_within_limits

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=7000)
long_text = st.one_of(text, st.integers(0, 9000).map(lambda n: "word " * n))


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    return Citation(
        number=draw(st.integers(1, 99)),
        brief_id=draw(st.integers(1, 10**6)),
        title=draw(long_text) or "t",
        published=draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
        date_inferred=draw(st.booleans()),
        outlet=draw(st.one_of(st.none(), long_text)),
        url=draw(st.one_of(st.none(), st.just("https://example.org/" + "x" * 900))),
        original_filename=draw(st.text(min_size=1, max_size=300)),
    )


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    abstained = draw(st.booleans())
    cites = tuple(draw(st.lists(citations(), max_size=40)))
    return Answer(
        question=draw(long_text) or "q",
        text=NOT_COVERED if abstained else draw(long_text),
        abstained=abstained,
        sources=() if abstained else cites,
        as_of=draw(st.one_of(st.none(), st.dates())),
        notes=tuple(draw(st.lists(long_text, max_size=3))),
        closest=cites if abstained else (),
        closest_evidence=draw(st.one_of(st.none(), long_text)),
        question_id=draw(st.one_of(st.none(), st.integers(1, 10**9))),
    )


def _body(embeds: list[discord.Embed], content: str | None = None) -> dict[str, object]:
    return {"content": content, "embeds": [e.to_dict() for e in embeds]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_answer_embed_always_within_limits(answer: Answer) -> None:
    embed = answer_embed(answer)
    assert_message_within_limits(_body(fit_message([embed])))
    assert_message_within_limits(_body([embed]))


@settings(max_examples=100, deadline=None)
@given(
    title=long_text,
    description=long_text,
    fields=st.lists(st.tuples(long_text, long_text), max_size=40),
    footer=long_text,
    author=long_text,
    count=st.integers(1, 14),
)
def test_any_embeds_fit_after_fit_message(
    title: str,
    description: str,
    fields: list[tuple[str, str]],
    footer: str,
    author: str,
    count: int,
) -> None:
    embeds = []
    for _ in range(count):
        e = discord.Embed(title=title, description=description)
        for name, value in fields:
            e.add_field(name=name, value=value)
        if footer:
            e.set_footer(text=footer)
        if author:
            e.set_author(name=author)
        embeds.append(e)
    fitted = fit_message(embeds)
    assert 1 <= len(fitted) <= 10
    assert_message_within_limits(_body(fitted))


@given(long_text)
def test_content_within_2000(value: str) -> None:
    assert len(fit_content(value)) <= 2000


def test_truncation_says_so() -> None:
    embed = fit_embed(discord.Embed(title="t" * 300, description="d" * 5000))
    assert embed.title is not None
    assert embed.title.endswith("…")
    assert embed.description is not None
    assert "(more" in embed.description
    assert clip("abcdef", 4) == "abc…"


def test_too_many_fields_keep_a_more_hint() -> None:
    e = discord.Embed(title="x")
    for i in range(40):
        e.add_field(name=f"f{i}", value="v")
    fitted = fit_embed(e)
    assert len(fitted.fields) == 25
    assert fitted.fields[-1].name == "More"
    assert "16 more" in (fitted.fields[-1].value or "")


def test_neutralize_breaks_every_mention_form() -> None:
    out = neutralize("@everyone @here <@123> <@!123> <@&456> <#789>")
    for raw in ("@everyone", "@here", "<@123>", "<@!123>", "<@&456>", "<#789>"):
        assert raw not in out
