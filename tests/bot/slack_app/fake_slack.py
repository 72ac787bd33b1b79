"""A small Slack on loopback: records every Web API call, file download and response_url POST.

Also builds signed requests (X-Slack-Signature with the signing secret) in the three shapes
Slack sends: slash commands (form), events (JSON) and interactions (form ``payload=``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

SECRET = "test-signing-secret"
TEAM = "T1"
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # response_url POST bodies
        self.downloads: list[Call] = []
        self.uploads: list[bytes] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.group_members: list[str] = []
        self.files: dict[str, dict[str, Any]] = {}  # files.info by id
        self.file_bytes: dict[str, bytes] = {}  # download path name → content
        self.threads: dict[str, list[dict[str, Any]]] = {}  # conversations.replies by ts
        self.errors: dict[str, str] = {}  # method → Slack error code
        self.oauth_codes: dict[str, dict[str, Any]] = {}  # oauth.v2.access answers by code
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ server

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{name}", self._download)
        app.router.add_post("/response/{n}", self._response)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.method == "GET":
            pass
        elif request.content_type == "application/json":
            params.update(await request.json())
        else:
            form = await request.post()
            for key, value in form.items():
                params[key] = value if isinstance(value, str) else "<file>"
        for key in ("blocks", "files"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        self.calls.append(Call(method, params, dict(request.headers)))
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        return web.json_response(self._answer(method, params))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        if method == "oauth.v2.access":
            found = self.oauth_codes.get(str(params.get("code")))
            return ok | found if found else {"ok": False, "error": "invalid_code"}
        if method == "auth.test":
            return ok | {"user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM, "team": "Test"}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            ts = f"1700000000.{next(self._ts):06d}"
            return ok | {"channel": params.get("channel"), "ts": ts, "message_ts": ts}
        if method == "users.info":
            user = self.users.get(str(params.get("user")), {"id": params.get("user")})
            return ok | {"user": user}
        if method == "usergroups.users.list":
            return ok | {"users": self.group_members}
        if method == "files.info":
            found = self.files.get(str(params.get("file")))
            return ok | {"file": found} if found else {"ok": False, "error": "file_not_found"}
        if method == "files.getUploadURLExternal":
            return ok | {"upload_url": f"{self.base}/upload/F0CHART", "file_id": "F0CHART"}
        if method == "files.completeUploadExternal":
            return ok | {"files": [{"id": "F0CHART", "title": "chart"}]}
        if method == "conversations.replies":
            return ok | {"messages": self.threads.get(str(params.get("ts")), [])}
        return ok

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads.append(await request.read())
        return web.Response(text="OK")

    async def _download(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.downloads.append(Call(name, {}, dict(request.headers)))
        data = self.file_bytes.get(name)
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    async def _response(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        return web.Response(text="ok")

    # ------------------------------------------------------------------ queries

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posts(self) -> list[dict[str, Any]]:
        """All the bot said: chat.postMessage/postEphemeral params, response_url bodies."""
        said = [c.params for c in self.calls if c.method.startswith("chat.post")]
        return said + self.responses

    def all_text(self) -> str:
        return json.dumps(self.posts(), ensure_ascii=False)

    async def wait_for(self, predicate: Callable[[], bool], within: float = 20.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; bot said: {self.all_text()[:3000]}")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ requests

    def response_url(self) -> str:
        return f"{self.base}/response/{next(self._ts)}"

    def slash(self, command: str, text: str, user: str, channel: str = "C1") -> AsyncBoltRequest:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": self.response_url(),
            "trigger_id": "1.2.3",
        }
        body = urllib.parse.urlencode(form)
        return signed_request(body, "application/x-www-form-urlencoded")

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str,
        retry: int | None = None,
        team: str = TEAM,
    ) -> AsyncBoltRequest:
        payload = {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
        }
        extra = {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
        return signed_request(json.dumps(payload), "application/json", extra if retry else None)

    def action(
        self,
        action_id: str,
        value: str,
        user: str,
        *,
        channel: str = "C1",
        container: str = "ephemeral",
    ) -> AsyncBoltRequest:
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "test"},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A1",
            "token": "legacy",
            "container": {"type": "message", "is_ephemeral": container == "ephemeral"},
            "trigger_id": "1.2.3",
            "channel": {"id": channel, "name": "general"},
            "response_url": self.response_url(),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b1",
                    "type": "button",
                    "value": value,
                    "action_ts": "1700000000.1",
                }
            ],
        }
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return signed_request(body, "application/x-www-form-urlencoded")


def signature(body: str, timestamp: str, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str, content_type: str, *, secret: str = SECRET, timestamp: str | None = None
) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature(body, ts, secret),
    }


def signed_request(
    body: str, content_type: str, extra: dict[str, str] | None = None, *, secret: str = SECRET
) -> AsyncBoltRequest:
    headers = signed_headers(body, content_type, secret=secret) | (extra or {})
    return AsyncBoltRequest(body=body, headers=headers)
