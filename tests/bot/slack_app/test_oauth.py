"""Multi-workspace installs: OAuth with the installation stored in our database, then used.

The install page and the redirect are driven over real loopback HTTP (cookie + state), the
fake Slack answers ``oauth.v2.access``; the saved installation then authorises an event from
that workspace, whose answer is posted with that workspace's bot token.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.config import ConfigError
from bot.container import App
from bot.slack_app import SlackRuntime, build_slack
from storage.chat_state import SLACK_BOTS, SLACK_INSTALLATIONS
from tests.bot.slack_app.conftest import drain, serve_http
from tests.bot.slack_app.fake_slack import BOT_USER, FakeSlack
from tests.bot.slack_app.test_events import FIRST, mention

CLIENT_ID = "1111.2222"
TEAM2 = "T2"
TOKEN2 = "xoxb-team-two"

# slack_sdk 3.x sends oauth.v2.access credentials with aiohttp's BasicAuth, deprecated in
# aiohttp 3.14 (a warning only; `filterwarnings = error` would turn it into a failure here).
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


def _oauth_app(core: App) -> App:
    settings = core.settings.model_copy(
        update={
            "slack_bot_token": None,
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": "client-secret",
        }
    )
    return App(**{**core.__dict__, "settings": settings})


@pytest.fixture
async def oauth_runtime(core: App, slack: FakeSlack) -> SlackRuntime:
    client = AsyncWebClient(base_url=slack.api_url)
    return build_slack(_oauth_app(core), client=client, download_hosts=("127.0.0.1",))


@pytest.fixture
async def served(oauth_runtime: SlackRuntime) -> AsyncIterator[str]:
    async with serve_http(oauth_runtime) as url:
        yield url


async def _install(served: str, slack: FakeSlack) -> None:
    slack.oauth_codes["code-2"] = {
        "app_id": "A1",
        "authed_user": {"id": "UINSTALLER"},
        "scope": "commands,chat:write",
        "token_type": "bot",
        "access_token": TOKEN2,
        "bot_user_id": BOT_USER,
        "team": {"id": TEAM2, "name": "Second"},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{served}/slack/install") as r:
            assert r.status == 200
            page = await r.text()
            # The state cookie is `Secure` (https in production): carry it by hand here.
            cookie = r.cookies["slack-app-oauth-state"]
        found = re.search(r"state=([\w-]+)", page)
        assert found, page
        assert f"client_id={CLIENT_ID}" in page
        assert "chat%3Awrite" in page or "chat:write" in page
        assert cookie.value == found[1]
        url = f"{served}/slack/oauth_redirect?code=code-2&state={found[1]}"
        headers = {"Cookie": f"{cookie.key}={cookie.value}"}
        async with session.get(url, headers=headers) as r:
            assert r.status == 200, await r.text()


async def test_install_is_stored_then_authorises_events(
    served: str, oauth_runtime: SlackRuntime, slack: FakeSlack, core: App
) -> None:
    await _install(served, slack)
    assert slack.called("oauth.v2.access")
    async with core.database.reading() as conn:
        rows = (await conn.execute(select(SLACK_INSTALLATIONS))).mappings().all()
        bots = (await conn.execute(select(SLACK_BOTS))).mappings().all()
    assert [(r["client_id"], r["team_id"], r["bot_token"]) for r in rows] == [
        (CLIENT_ID, TEAM2, TOKEN2)
    ]
    assert [b["team_id"] for b in bots] == [TEAM2]

    slack.calls.clear()
    request = slack.event(mention(FIRST, "800.1"), event_id="EvTeam2", team=TEAM2)
    response = await oauth_runtime.bolt.async_dispatch(request)
    assert response.status == 200
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    post = slack.called("chat.postMessage")[0]
    assert post.headers["Authorization"] == f"Bearer {TOKEN2}"
    assert post.params["thread_ts"] == "800.1"

    # a workspace that never installed the app is not answered
    slack.calls.clear()
    other = slack.event(mention(FIRST, "800.2"), event_id="EvTeam3", team="T3")
    await oauth_runtime.bolt.async_dispatch(other)
    await drain()
    assert not slack.called("chat.postMessage")


async def test_invalid_state_is_refused(served: str, slack: FakeSlack, core: App) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{served}/slack/oauth_redirect?code=code-2&state=forged"
        async with session.get(url) as r:
            assert r.status >= 400
    assert not slack.called("oauth.v2.access")
    async with core.database.reading() as conn:
        assert (await conn.execute(select(SLACK_INSTALLATIONS))).first() is None


async def test_digest_sink_uses_the_workspace_token(
    served: str, oauth_runtime: SlackRuntime, slack: FakeSlack, core: App
) -> None:
    from briefs.digest.ports import NewSubscription

    await _install(served, slack)
    subs = oauth_runtime.services.subscriptions
    assert subs is not None
    sub = await subs.create(
        NewSubscription(platform="slack", workspace=TEAM2, channel="C9", created_by="x")
    )
    digest = await core.digests.build("week", save=False)
    slack.calls.clear()
    await oauth_runtime.sink.post(sub, digest, None)
    post = slack.called("chat.postMessage")[0]
    assert post.headers["Authorization"] == f"Bearer {TOKEN2}"
    missing = await subs.create(
        NewSubscription(platform="slack", workspace="T404", channel="C9", created_by="x")
    )
    with pytest.raises(Exception, match="not installed"):
        await oauth_runtime.sink.post(missing, digest, None)


def test_oauth_needs_http_mode(core: App) -> None:
    app = _oauth_app(core)
    socket = App(
        **{**app.__dict__, "settings": app.settings.model_copy(update={"slack_mode": "socket"})}
    )
    with pytest.raises(ConfigError, match="SLACK_MODE"):
        build_slack(socket)
