"""Upload hardening at the service and file layers, on both backends.

Type sniffed from content (a PNG renamed .txt is refused), zip/gzip bombs renamed to an
accepted extension are refused without being inflated (bounded time and memory), a 50 MB
file is refused from its size alone (reading it would fail the test), and a traversal
filename is only ever a label.
"""

from __future__ import annotations

import builtins
import gzip
import io
import pathlib
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bot.container import App
from briefs.errors import FileTooLargeError
from briefs.ingestion import read_file
from briefs.services import Actor
from tests.reliability._support import check_consistency, record_writes, write_briefs

ADMIN = Actor("test:admin", is_admin=True, platform="cli")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def zip_bomb(inflated_mb: int = 200) -> bytes:
    """A real zip whose one member inflates to `inflated_mb` MiB of zeros (~200 KiB packed)."""
    buffer = io.BytesIO()
    chunk = b"\0" * 2**20
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("brief.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(inflated_mb):
            member.write(chunk)
    return buffer.getvalue()


def gzip_bomb(inflated_mb: int = 100) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        chunk = b"\0" * 2**20
        for _ in range(inflated_mb):
            gz.write(chunk)
    return out.getvalue()


async def test_type_is_sniffed_and_bombs_are_refused(
    core_app: App, db_url: str, record_figure: Any
) -> None:
    bomb, gz = zip_bomb(), gzip_bomb()
    cases = {
        "photo.txt": PNG,
        "photo.md": PNG,
        "photo.pdf": PNG,
        "bomb.pdf": bomb,
        "bomb.txt": bomb,
        "bomb.md": bomb,
        "bomb.html": bomb,
        "bomb.gz.txt": gz,
    }
    timings = {}
    peaks = {}
    for name, data in cases.items():
        tracemalloc.start()
        started = time.perf_counter()
        outcome = await core_app.ingest.ingest(name, data, ADMIN)
        timings[name] = time.perf_counter() - started
        peaks[name] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert outcome.status == "rejected", (name, outcome)
        assert "\n" not in outcome.message
        assert timings[name] < 2.0, (name, timings[name])
        assert peaks[name] < 16 * 2**20, (name, peaks[name])  # nothing was inflated
    assert await core_app.database.briefs.count(include_deleted=True) == 5
    state = await check_consistency(db_url)
    assert state.ok
    record_figure(
        "upload_refusals",
        backend="sqlite" if db_url.startswith("sqlite") else "postgres",
        refused=len(cases),
        of=len(cases),
        zip_bomb_packed_kib=len(bomb) // 1024,
        zip_bomb_inflated_mib=200,
        slowest_ms=round(max(timings.values()) * 1000, 1),
        peak_mem_kib=max(peaks.values()) // 1024,
    )


def test_fifty_megabyte_file_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge-brief.txt"
    with big.open("wb") as fh:  # sparse: 50 MB by stat, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    assert big.stat().st_size == 50 * 1024 * 1024

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the file was opened: {args!r}")

    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("huge-brief.txt"):
            no_reading(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    monkeypatch.setattr(pathlib.Path, "read_text", no_reading)
    monkeypatch.setattr(pathlib.Path, "open", no_reading)
    monkeypatch.setattr(builtins, "open", guarded_open)
    with pytest.raises(FileTooLargeError) as caught:
        read_file(big, max_bytes=10 * 1024 * 1024)
    assert "50 MiB" in caught.value.message
    assert "limit is 10 MiB" in caught.value.message


def _tree(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(folder.glob(pattern) if pattern != "*" else folder.rglob("*"))


async def test_traversal_filename_is_only_a_label(
    core_app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    written = record_writes(monkeypatch)
    data = write_briefs(tmp_path / "src", 1, seed=5)[0].read_bytes()
    before = _tree(tmp_path)
    name = "../../etc/passwd.txt"
    outcome = await core_app.ingest.ingest(name, data, ADMIN)
    assert outcome.status == "added", outcome.message
    assert outcome.brief is not None
    assert outcome.brief.original_filename == name  # kept as a label only
    assert not _tree(Path("/etc"), "passwd.txt")
    assert not _tree(tmp_path.parent.parent, "etc")
    assert _tree(tmp_path) == before
    assert not [w for w in written if "passwd" in w]
