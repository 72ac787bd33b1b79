"""Optional LLM answers against a loopback OpenAI-compatible fake (incl. one that invents)."""

import asyncio
import datetime as dt
import re

import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.llm_client import OpenAICompatibleClient
from briefs.models import DateOrigin, NewBrief
from briefs.passages import make_passages
from briefs.services import AskService
from tests.fakes import FixedClock, InMemoryQuestionLog, InMemoryStore

HAMADAN = (
    "In August 2016 Iran allowed Russian bombers to fly from the Hamadan air base for strikes "
    "in Syria. Iranian lawmakers objected that the constitution forbids foreign military bases."
)


class FakeLLM:
    """Answers chat completions with a canned reply; records what it was sent."""

    def __init__(self) -> None:
        self.reply = ""
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict] = []
        self.auth: list[str | None] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(await request.json())
        self.auth.append(request.headers.get("Authorization"))
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status)
        return web.json_response({"choices": [{"message": {"content": self.reply}}]})


@pytest.fixture
async def fake_llm():
    fake = FakeLLM()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    fake.url = f"http://127.0.0.1:{port}/v1"
    yield fake
    await runner.cleanup()


@pytest.fixture
async def store():
    store = InMemoryStore()
    await store.add(
        NewBrief(
            title="Hamadan episode",
            body=HAMADAN,
            original_filename="hamadan.md",
            source_url=None,
            outlet="Example",
            published=dt.date(2016, 8, 23),
            date_origin=DateOrigin.FRONT_MATTER,
            uploaded_by="t",
            content_hash="h",
            minhash=(),
            bands=(),
            passages=make_passages(HAMADAN),
        )
    )
    return store


def service(store, fake, timeout=2.0):
    client = OpenAICompatibleClient(fake.url, "test-model", SecretStr("sk-secret"), timeout)
    return AskService(store, InMemoryQuestionLog(), FixedClock(), llm=client, llm_timeout_s=timeout)


QUESTION = "Why did Iranian lawmakers object to Russia using Hamadan?"


async def test_supported_llm_sentences_are_kept_and_cited(store, fake_llm):
    fake_llm.reply = (
        "Iranian lawmakers objected because the constitution forbids foreign military bases [1]."
    )
    answer = await service(store, fake_llm).answer(QUESTION)
    assert answer.generated_by == "llm"
    assert answer.text.endswith("[1]")
    assert answer.sources[0].original_filename == "hamadan.md"
    sent = fake_llm.requests[0]["messages"][1]["content"]
    assert "Hamadan air base" in sent  # the model sees only retrieved passages
    assert fake_llm.auth == ["Bearer sk-secret"]


async def test_invented_sentences_are_dropped(store, fake_llm):
    fake_llm.reply = (
        "Iranian lawmakers objected because the constitution forbids foreign military bases [1]. "
        "Putin later apologised personally to Khamenei and paid compensation in gold [1]. "
        "The base was then leased to China [2]."
    )
    answer = await service(store, fake_llm).answer(QUESTION)
    assert answer.generated_by == "llm"
    assert "apologised" not in answer.text
    assert "China" not in answer.text
    assert len(re.findall(r"\[\d\]", answer.text)) == 1


async def test_a_model_that_only_invents_falls_back_to_extractive(store, fake_llm):
    fake_llm.reply = "Russia paid Iran ten billion dollars for the base [1]."
    answer = await service(store, fake_llm).answer(QUESTION)
    assert answer.generated_by == "extractive"
    assert "objected" in answer.text


@pytest.mark.parametrize("failure", ["timeout", "error"])
async def test_endpoint_failures_fall_back_to_extractive(store, fake_llm, failure):
    if failure == "timeout":
        fake_llm.delay = 1.0
    else:
        fake_llm.status = 500
    answer = await service(store, fake_llm, timeout=0.3).answer(QUESTION)
    assert answer.generated_by == "extractive"
    assert not answer.abstained


async def test_abstentions_never_reach_the_model(store, fake_llm):
    answer = await service(store, fake_llm).answer("Who won the football world cup?")
    assert answer.abstained
    assert fake_llm.requests == []
