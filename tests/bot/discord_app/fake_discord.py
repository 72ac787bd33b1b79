"""A loopback fake of the parts of Discord's HTTP API the adapter uses.

An aiohttp server on 127.0.0.1 that records every request and answers like Discord:
interaction callbacks, webhook follow-ups and edits, channel messages, command sync, and a
CDN for attachments. Payload builders make INTERACTION_CREATE events as the gateway sends
them, fed to the real client through `ConnectionState.parse_interaction_create`.

Pinned to discord.py 2.7: the fixture points `discord.http.Route.BASE` (used by the REST
client and the webhook adapter alike) at this server, and `dispatch` drives the private
`parse_interaction_create` and waits for discord.py's named tasks ("CommandTree-invoker",
"discord-ui-…").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_ID = 900_000_000_000_000_001
GUILD_ID = 800_000_000_000_000_001
CHANNEL_ID = 700_000_000_000_000_001
ADMIN_ROLE_ID = 777
ADMIN_USER_ID = 4242
MANAGE_GUILD = 1 << 5

BOT_USER = {
    "id": str(APP_ID),
    "username": "briefbot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "flags": 0,
}


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    json: dict[str, Any] | list[Any] | None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        p = self.path
        if p.endswith("/callback"):
            return "callback"
        if p.startswith("/cdn/"):
            return "download"
        if "/webhooks/" in p and self.method == "POST":
            return "followup"
        if "/webhooks/" in p and self.method == "PATCH":
            return "edit"
        if "/channels/" in p and self.method == "POST":
            return "channel_message"
        return f"{self.method} {p}"


def _json(data: Any, *, status: int = 200) -> web.Response:
    # Discord answers `Content-Type: application/json` exactly; discord.py compares it verbatim.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class FakeDiscord:
    def __init__(self) -> None:
        self.forbidden_channels: set[int] = set()  # channels the bot may not post in
        self.expired_interactions: set[int] = set()  # interactions that arrived too late
        self.requests: list[Recorded] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.cdn: dict[str, bytes] = {}
        self.token_channel: dict[str, int] = {}
        self._ids = itertools.count(1_000_000_000_000_000_000)
        self._runner: web.AppRunner | None = None
        self.base = ""

    def next_id(self) -> int:
        return next(self._ids)

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- what tests look at -------------------------------------------------------------

    @property
    def api(self) -> str:
        return self.base + "/api/v10"

    def of_kind(self, *kinds: str) -> list[Recorded]:
        return [r for r in self.requests if r.kind in kinds]

    def sends(self) -> list[Recorded]:
        """Every request that carries a message (content, embeds or files)."""
        out = []
        for r in self.requests:
            body = r.json if isinstance(r.json, dict) else {}
            data = body.get("data", body) if r.kind == "callback" else body
            if isinstance(data, dict) and (
                "content" in data or "embeds" in data or "attachments" in data or r.files
            ):
                out.append(r)
        return out

    def texts(self) -> list[str]:
        """Every piece of text sent: contents, embed titles, descriptions, fields, footers."""
        out: list[str] = []
        for r in self.sends():
            body = r.json if isinstance(r.json, dict) else {}
            data = body.get("data", body) if r.kind == "callback" else body
            out.append(str(data.get("content") or ""))
            for e in data.get("embeds") or []:
                out.append(str(e.get("title") or ""))
                out.append(str(e.get("description") or ""))
                out.extend(f"{f['name']}\n{f['value']}" for f in e.get("fields", []))
                out.append(str((e.get("footer") or {}).get("text") or ""))
        return out

    def all_text(self) -> str:
        return "\n".join(self.texts())

    def last_message(self) -> dict[str, Any]:
        return self.messages[max(self.messages)]

    def add_attachment(
        self, filename: str, data: bytes, *, size: int | None = None
    ) -> dict[str, Any]:
        att_id = self.next_id()
        key = f"{att_id}/{filename}"
        self.cdn[key] = data
        return {
            "id": str(att_id),
            "filename": filename,
            "size": len(data) if size is None else size,
            "url": f"{self.base}/cdn/attachments/{key}",
            "proxy_url": f"{self.base}/cdn/attachments/{key}",
            "content_type": "application/octet-stream",
        }

    # ---- the server -----------------------------------------------------------------------

    async def _body(self, request: web.Request) -> tuple[Any, dict[str, bytes]]:
        ctype = request.content_type
        if ctype == "application/json":
            return await request.json(), {}
        if ctype == "multipart/form-data":
            form = await request.post()
            files: dict[str, bytes] = {}
            payload: Any = None
            for key, value in form.items():
                if key == "payload_json":
                    payload = json.loads(str(value))
                elif hasattr(value, "file"):
                    files[value.filename or key] = value.file.read()  # type: ignore[union-attr]
            return payload, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), {}

    def _message(
        self, channel_id: int, body: dict[str, Any], files: dict[str, bytes]
    ) -> dict[str, Any]:
        mid = self.next_id()
        msg = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "type": 0,
            "content": body.get("content") or "",
            "author": BOT_USER,
            "attachments": [
                {
                    "id": str(self.next_id()),
                    "filename": name,
                    "size": len(data),
                    "url": f"{self.base}/cdn/x/{name}",
                    "proxy_url": f"{self.base}/cdn/x/{name}",
                }
                for name, data in files.items()
            ],
            "embeds": body.get("embeds") or [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": _now(),
            "edited_timestamp": None,
            "flags": int(body.get("flags") or 0),
            "components": body.get("components") or [],
            "application_id": str(APP_ID),
            "webhook_id": str(APP_ID),
        }
        self.messages[mid] = msg
        return msg

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        body, files = await self._body(request)
        rec = Recorded(
            request.method, path.removeprefix("/api/v10"), dict(request.query), body, files
        )
        self.requests.append(rec)
        p = rec.path
        if p.startswith("/cdn/"):
            key = p.removeprefix("/cdn/attachments/")
            if key in self.cdn:
                return web.Response(body=self.cdn[key])
            return web.Response(status=404)
        if p == "/users/@me":
            return _json(BOT_USER)
        if p == "/oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "briefbot",
                    "description": "",
                    "icon": None,
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": BOT_USER,
                    "verify_key": "0" * 64,
                    "flags": 0,
                    "team": None,
                }
            )
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p):
            if int(m[1]) in self.expired_interactions:  # answered after Discord's 3 s
                return _json({"message": "Unknown interaction", "code": 10062}, status=404)
            return self._callback(int(m[1]), m[2], body or {}, files)
        if m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)", p):
            channel = self.token_channel.get(m[2], CHANNEL_ID)
            return _json(self._message(channel, body or {}, files))
        if m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/([^/]+)", p):
            channel = self.token_channel.get(m[2], CHANNEL_ID)
            return _json(self._message(channel, body or {}, files))
        if m := re.fullmatch(r"/channels/(\d+)/messages", p):
            if int(m[1]) in self.forbidden_channels:
                return _json({"message": "Missing Access", "code": 50001}, status=403)
            return _json(self._message(int(m[1]), body or {}, files))
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p):
            msg = self.messages.get(int(m[2]))
            if msg is None:
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            return _json(msg)
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", p) and request.method == "PUT":
            out = []
            for cmd in body or []:
                out.append(
                    {
                        **cmd,
                        "id": str(self.next_id()),
                        "application_id": str(APP_ID),
                        "version": "1",
                        "default_member_permissions": None,
                        "dm_permission": True,
                        "nsfw": False,
                    }
                )
            return _json(out)
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _callback(
        self, iid: int, token: str, body: dict[str, Any], files: dict[str, bytes]
    ) -> web.Response:
        rtype = int(body.get("type", 0))
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        resource: dict[str, Any] = {"type": rtype}
        message_id = None
        if rtype in (4, 7):
            msg = self._message(self.token_channel.get(token, CHANNEL_ID), data, files)
            resource["message"] = msg
            message_id = msg["id"]
        return _json(
            {
                "interaction": {
                    "id": str(iid),
                    "type": 2,
                    "response_message_id": message_id,
                    "response_message_loading": rtype == 5,
                    "response_message_ephemeral": bool(flags & 64),
                },
                "resource": resource,
            }
        )

    # ---- INTERACTION_CREATE payloads --------------------------------------------------------

    def user(self, user_id: int) -> dict[str, Any]:
        return {
            "id": str(user_id),
            "username": f"user{user_id}",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "flags": 0,
        }

    def member(
        self, user_id: int, *, permissions: int = 0, roles: tuple[int, ...] = ()
    ) -> dict[str, Any]:
        return {
            "user": self.user(user_id),
            "roles": [str(r) for r in roles],
            "permissions": str(permissions),
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "pending": False,
        }

    def text_channel(self, channel_id: int = CHANNEL_ID) -> dict[str, Any]:
        return {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(GUILD_ID),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    def thread_channel(self, thread_id: int, parent_id: int = CHANNEL_ID) -> dict[str, Any]:
        return {
            "id": str(thread_id),
            "type": 11,
            "guild_id": str(GUILD_ID),
            "parent_id": str(parent_id),
            "owner_id": str(ADMIN_USER_ID),
            "name": "follow-up",
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _now(),
                "locked": False,
            },
            "message_count": 1,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def _base(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        user_id: int,
        permissions: int,
        roles: tuple[int, ...],
        channel: dict[str, Any] | None,
        guild: bool,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        token = f"tok{self.next_id()}"
        channel = channel or self.text_channel()
        self.token_channel[token] = int(channel["id"])
        payload: dict[str, Any] = {
            "id": str(self.next_id()),
            "application_id": str(APP_ID),
            "type": itype,
            "data": data,
            "channel_id": channel["id"],
            "channel": channel,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "app_permissions": "0",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0 if guild else 1,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild:
            payload["guild_id"] = str(GUILD_ID)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(GUILD_ID), "features": [], "locale": "en-US"}
            payload["member"] = self.member(user_id, permissions=permissions, roles=roles)
        else:
            payload["user"] = self.user(user_id)
        if message is not None:
            payload["message"] = message
        return payload

    def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        sub: str | None = None,
        user_id: int = 1001,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        channel: dict[str, Any] | None = None,
        attachments: dict[str, dict[str, Any]] | None = None,
        guild: bool = True,
    ) -> dict[str, Any]:
        """An application-command INTERACTION_CREATE (type 2)."""
        opts = []
        for key, value in (options or {}).items():
            if isinstance(value, bool):
                opts.append({"name": key, "type": 5, "value": value})
            elif isinstance(value, int):
                opts.append({"name": key, "type": 4, "value": value})
            elif isinstance(value, dict):  # an attachment
                opts.append({"name": key, "type": 11, "value": value["id"]})
            else:
                opts.append({"name": key, "type": 3, "value": value})
        if sub is not None:
            opts = [{"name": sub, "type": 1, "options": opts}]
        data: dict[str, Any] = {"id": str(self.next_id()), "name": name, "type": 1, "options": opts}
        resolved = {a["id"]: a for a in (attachments or {}).values()}
        resolved.update({v["id"]: v for v in (options or {}).values() if isinstance(v, dict)})
        if resolved:
            data["resolved"] = {"attachments": resolved}
        return self._base(
            2,
            data,
            user_id=user_id,
            permissions=permissions,
            roles=roles,
            channel=channel,
            guild=guild,
        )

    def click(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        user_id: int = 1001,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        guild: bool = True,
    ) -> dict[str, Any]:
        """A button click (type 3) on a message this fake returned."""
        data = {"custom_id": custom_id, "component_type": 2}
        return self._base(
            3,
            data,
            user_id=user_id,
            permissions=permissions,
            roles=roles,
            channel=self.text_channel(int(message["channel_id"])),
            guild=guild,
            message=message,
        )


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [
        c["custom_id"]
        for row in message.get("components", [])
        for c in row.get("components", [])
        if "custom_id" in c
    ]


async def dispatch(client: Any, payload: dict[str, Any]) -> None:
    """Feed an INTERACTION_CREATE to the real client and wait for what it scheduled."""
    before = set(asyncio.all_tasks())
    client._connection.parse_interaction_create(payload)
    for _ in range(100):
        pending = [
            t
            for t in asyncio.all_tasks() - before
            if not t.done() and t.get_name().startswith(("CommandTree-invoker", "discord-ui-"))
        ]
        if not pending:
            return
        await asyncio.gather(*pending)
    raise AssertionError("interaction tasks did not settle")
