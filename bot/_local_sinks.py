"""Digest sinks that need no chat platform: ``FileSink`` (Markdown + chart under a directory)
and ``StdoutSink`` (plain text on standard output). Re-exported by ``bot.scheduler``.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import sys
import uuid
from pathlib import Path
from typing import TextIO

from briefs.digest.model import Digest
from briefs.digest.ports import Subscription
from briefs.digest.render_text import render_markdown, render_plain

__all__ = ["FileSink", "StdoutSink"]


class FileSink:
    """Writes each digest as Markdown (+ chart PNG) under a directory: no chat token needed.

    Every post also appends one JSON line to ``posts.jsonl`` (``O_APPEND``), which is what the
    exactly-once tests count. That line is the post's commit point, written under an exclusive
    lock after checking the slot is not there yet, so an instance taking over the claim of one
    that died after posting but before recording it returns the first post instead of
    posting twice.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        return await asyncio.to_thread(self._write, subscription, digest, chart_png)

    def _write(self, sub: Subscription, digest: Digest, chart_png: bytes | None) -> str:
        folder = self.directory / f"sub{sub.id}"
        folder.mkdir(parents=True, exist_ok=True)
        slot = str(digest.extra.get("slot_start", digest.generated_at.isoformat()))
        stem = slot.replace(":", "").replace("+", "Z").replace("-", "")
        message_id = f"file:sub{sub.id}/{stem}-{uuid.uuid4().hex[:8]}"
        (folder / f"{stem}.md").write_text(render_markdown(digest), encoding="utf-8")
        if chart_png:
            (folder / f"{stem}.png").write_bytes(chart_png)
        record = {
            "subscription_id": sub.id,
            "slot_start": slot,
            "digest_id": digest.id,
            "message_id": message_id,
            "late": digest.late,
            "pid": os.getpid(),
        }
        fd = os.open(self.directory / "posts.jsonl", os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with open(fd, encoding="utf-8", closefd=False) as existing:
                for line in existing:
                    earlier = json.loads(line)
                    if (earlier["subscription_id"], earlier["slot_start"]) == (sub.id, slot):
                        return str(earlier["message_id"])
            os.write(fd, (json.dumps(record) + "\n").encode())
        finally:
            os.close(fd)  # also releases the lock
        return message_id


class StdoutSink:
    """Prints the plain-text digest (the ``file`` platform with channel ``-``)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        stream = self._stream or sys.stdout
        stream.write(render_plain(digest))
        stream.flush()
        return f"stdout:{subscription.id}:{digest.id}"
