"""SIGTERM/stop: answers already in progress finish before the adapters close."""

import asyncio
from pathlib import Path

from bot.config import load_settings
from bot.container import open_app
from bot.serve import serve
from briefs.services import Actor

ACTOR = Actor("cli:test", platform="cli")


async def _serve_with_slow_answers(tmp_path: Path, delay_s: float, drain_s: float):
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}", metrics_port=0
    )
    async with open_app(settings=settings) as app:
        original = app.ask.answer

        async def slow_answer(question, **kwargs):
            await asyncio.sleep(delay_s)
            return await original(question, **kwargs)

        app.ask.answer = slow_answer
        stop = asyncio.Event()
        server = asyncio.create_task(
            serve(app, digest_dir=tmp_path / "digests", stop=stop, answer_drain_s=drain_s)
        )
        # serve() wraps the services before its first await; let it get past that point
        await asyncio.sleep(0.2)
        assert getattr(app.ask.ask, "__wrapped__", None) is not None
        asking = asyncio.create_task(app.ask.ask("Why did Russia use the Hamadan base?", ACTOR))
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(server, 30)
        return asking


async def test_an_answer_in_progress_finishes_before_shutdown(tmp_path: Path) -> None:
    asking = await _serve_with_slow_answers(tmp_path, delay_s=0.5, drain_s=10)
    assert asking.done()
    answer = asking.result()
    assert answer.question_id is not None
    assert answer.sources


async def test_shutdown_does_not_wait_forever_for_a_stuck_answer(tmp_path: Path) -> None:
    asking = await _serve_with_slow_answers(tmp_path, delay_s=30, drain_s=0.2)
    assert not asking.done()
    asking.cancel()
