"""Discord's message limits, checked independently of the adapter's own constants."""

from __future__ import annotations

from typing import Any


def embed_size(e: dict[str, Any]) -> int:
    total = len(e.get("title") or "") + len(e.get("description") or "")
    total += len((e.get("footer") or {}).get("text") or "")
    total += len((e.get("author") or {}).get("name") or "")
    total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in e.get("fields", []))
    return total


def assert_embed_within_limits(e: dict[str, Any]) -> None:
    assert len(e.get("title") or "") <= 256
    assert len(e.get("description") or "") <= 4096
    fields = e.get("fields", [])
    assert len(fields) <= 25
    for f in fields:
        assert 0 < len(f["name"]) <= 256
        assert 0 < len(f["value"]) <= 1024
    assert len((e.get("footer") or {}).get("text") or "") <= 2048
    assert len((e.get("author") or {}).get("name") or "") <= 256
    assert embed_size(e) <= 6000


def assert_message_within_limits(body: dict[str, Any]) -> None:
    data = body.get("data", body) if "type" in body and "data" in body else body
    assert len(data.get("content") or "") <= 2000
    embeds = data.get("embeds") or []
    assert len(embeds) <= 10
    for e in embeds:
        assert_embed_within_limits(e)
    assert sum(embed_size(e) for e in embeds) <= 6000
