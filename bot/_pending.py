"""Upload previews shared by every instance: a `PreparedBrief` as JSON in ``pending_uploads``.

An admin uploads on one instance and clicks Confirm minutes later; behind a load balancer (or
after a restart) the click may reach another instance, so the prepared brief is stored in the
database (``storage.chat_state``), not in memory. ``take`` hands a preview to exactly one
caller, so a double click — even on two instances — stores the brief once.

The JSON codec is generic over the domain dataclasses (`NewBrief`, its passages and sentence
analyses, `Brief`, `DocumentBalance`, `DateOrigin`, dates): fields are read from the type hints,
so fields added to those dataclasses later round-trip without changes here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import secrets
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from briefs.services.ingest import PreparedBrief
from storage.chat_state import SqlPendingUploads

__all__ = [
    "PREVIEW_TTL_S",
    "PendingUpload",
    "PendingUploads",
    "prepared_from_dict",
    "prepared_to_dict",
]

PREVIEW_TTL_S = 15 * 60  # Discord's follow-up token lives 15 minutes; previews do too
_FORMAT = 1


# --------------------------------------------------------------------------- codec


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return _encode(value.value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a pending upload")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, value: Any) -> Any:
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if value is None:
        return None
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if origin is list:
        return [_decode(args[0], v) for v in value]
    if origin is dict:
        return {k: _decode(args[1], v) for k, v in value.items()}
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            known = {f.name for f in dataclasses.fields(tp) if f.init}
            kwargs = {k: _decode(hints[k], v) for k, v in value.items() if k in known}
            return tp(**kwargs)
        if issubclass(tp, enum.Enum):
            return tp(value)
        if issubclass(tp, dt.datetime):
            return dt.datetime.fromisoformat(value)
        if issubclass(tp, dt.date):
            return dt.date.fromisoformat(value)
        if tp is float:
            return float(value)
    return value


def prepared_to_dict(prepared: PreparedBrief) -> dict[str, Any]:
    """JSON-safe form of a prepared brief (the `NewBrief` with passages and sentences)."""
    return {"format": _FORMAT, "prepared": _encode(prepared)}


def prepared_from_dict(data: dict[str, Any]) -> PreparedBrief:
    if data.get("format") != _FORMAT:
        raise ValueError(f"unknown pending upload format {data.get('format')!r}")
    decoded = _decode(PreparedBrief, data["prepared"])
    assert isinstance(decoded, PreparedBrief)
    return decoded


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True, slots=True)
class PendingUpload:
    token: str
    platform: str
    uploader: str  # platform-qualified actor id, e.g. "discord:1234" or "slack:T1/U2"
    prepared: PreparedBrief
    filename: str
    created_at: dt.datetime
    expires_at: dt.datetime


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PendingUploads:
    """Previews of one platform awaiting Confirm / Cancel, keyed by a random token.

    ``clock`` (aware UTC ``now``) is replaceable, e.g. to test expiry.
    """

    def __init__(
        self,
        store: SqlPendingUploads,
        platform: str,
        *,
        ttl_s: float = PREVIEW_TTL_S,
        clock: Callable[[], dt.datetime] = _utcnow,
        new_token: Callable[[], str] = lambda: secrets.token_hex(6),
    ) -> None:
        self.store = store
        self.platform = platform
        self.ttl_s = ttl_s
        self.clock = clock
        self._new_token = new_token

    async def add(self, prepared: PreparedBrief, uploader: str, filename: str = "") -> str:
        token = self._new_token()
        await self.store.put(
            token,
            platform=self.platform,
            actor=uploader,
            payload=prepared_to_dict(prepared) | {"filename": filename},
            ttl=dt.timedelta(seconds=self.ttl_s),
            now=self.clock(),
        )
        return token

    async def get(self, token: str) -> PendingUpload | None:
        row = await self.store.get(token, now=self.clock())
        return self._load(row) if row is not None else None

    async def pop(self, token: str) -> PendingUpload | None:
        """Remove and return the preview — to one caller only, on any instance."""
        row = await self.store.take(token, now=self.clock())
        return self._load(row) if row is not None else None

    async def count(self) -> int:
        return await self.store.count(platform=self.platform, now=self.clock())

    def _load(self, row: Any) -> PendingUpload | None:
        if row.platform != self.platform:
            return None
        return PendingUpload(
            token=row.token,
            platform=row.platform,
            uploader=row.actor,
            prepared=prepared_from_dict(row.payload),
            filename=str(row.payload.get("filename") or ""),
            created_at=row.created_at,
            expires_at=row.expires_at,
        )
