"""`ingest` and `briefs list` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfWriter

from briefs.corpus import starter_corpus_files
from briefs.models import DateOrigin
from tests.bot.cli import SEEDS, STARTER_COUNT, invoke, invoke_json, isolate

BRIEF_KEYS = {
    "id",
    "title",
    "original_filename",
    "date",
    "date_origin",
    "outlet",
    "version",
    "deleted",
    "balance",
    "top_cooperation",
    "top_tension",
}
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
STARTER_FILES = [name for name, _ in starter_corpus_files()]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def test_ingest_seeds_twice(db_url: str) -> None:
    assert len(SEED_NAMES) == 5

    first = invoke("ingest", str(SEEDS), "--db", db_url)
    assert first.exit_code == 0, first.output
    assert "Ingest summary" in first.stdout
    assert first.stdout.count("added") >= 5
    assert "5 added" in first.stdout

    second = invoke_json("ingest", str(SEEDS), "--db", db_url)
    assert [row["file"] for row in second] == SEED_NAMES
    assert [row["status"] for row in second] == ["duplicate"] * 5
    for row in second:
        assert row["brief_id"] is None
        assert isinstance(row["related_id"], int)
        assert f"#{row['related_id']}" in row["message"]

    again = invoke("ingest", str(SEEDS), "--db", db_url)
    assert again.exit_code == 0
    assert "5 duplicate" in again.stdout
    assert "added" not in again.stdout

    briefs = invoke_json("briefs", "list", "--db", db_url)
    assert len(briefs) == 5 + STARTER_COUNT
    for brief in briefs:
        assert set(brief) >= BRIEF_KEYS
        assert brief["deleted"] is False
        assert brief["version"] == 1
        assert brief["balance"] is None or -1 <= brief["balance"] <= 1
    names = sorted(b["original_filename"] for b in briefs)
    assert names == sorted([*SEED_NAMES, *STARTER_FILES])
    dates = [b["date"] for b in briefs]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert {b["date_origin"] for b in briefs} <= {o.value for o in DateOrigin}

    table = invoke("briefs", "list", "--db", db_url)
    assert table.exit_code == 0
    assert "date inferred" in table.stdout


def test_ingest_json_prints_only_json(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")
    result = invoke("ingest", str(SEEDS / SEED_NAMES[0]), "--db", db_url, "--json")

    assert result.exit_code == 0
    rows = json.loads(result.stdout)  # nothing but the document on stdout
    assert rows == [
        {
            "file": SEED_NAMES[0],
            "status": "added",
            "message": f"Stored as brief #{rows[0]['brief_id']}",
            "brief_id": rows[0]["brief_id"],
            "related_id": None,
        }
    ]
    assert result.stdout.lstrip().startswith("[")


def _broken_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    return data[: len(data) // 2]  # cut in half: no xref table, no trailer


def test_bad_input_is_rejected_and_the_batch_continues(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a-empty.txt").write_bytes(b"")
    (batch / "b-junk.txt").write_bytes(bytes(range(256)) * 16)
    (batch / "c-broken.pdf").write_bytes(_broken_pdf())
    (batch / "d-huge.txt").write_text("Russia and Iran cooperate on energy. " * 3000)
    (batch / "e-notes.docx").write_bytes(b"PK\x03\x04 not really a document")
    shutil.copy(SEEDS / SEED_NAMES[1], batch / "f-good.txt")
    monkeypatch.setenv("MAX_UPLOAD_MB", "0.05")  # 52 KB: the seed fits, d-huge does not
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")
    missing = tmp_path / "nowhere" / "gone.md"

    result = invoke("ingest", str(batch), str(missing), "--db", db_url, "--json")

    assert result.exit_code == 1
    rows = {row["file"]: row for row in json.loads(result.stdout)}
    assert rows["f-good.txt"]["status"] == "added"
    expected = {
        str(missing): "No such file or folder.",
        "a-empty.txt": "'a-empty.txt' is empty.",
        "b-junk.txt": "binary",
        "c-broken.pdf": "not a readable PDF",
        "d-huge.txt": "the limit is",
        "e-notes.docx": "file type I can't read",
    }
    for name, fragment in expected.items():
        assert rows[name]["status"] == "rejected", rows[name]
        assert fragment in rows[name]["message"]
        assert "\n" not in rows[name]["message"]
        assert rows[name]["brief_id"] is None
    assert len(rows) == 7

    briefs = invoke_json("briefs", "list", "--db", db_url)
    assert [b["original_filename"] for b in briefs] == ["f-good.txt"]

    # The table form says the same, and still exits 1.
    table = invoke("ingest", str(batch / "a-empty.txt"), str(missing), "--db", db_url)
    assert table.exit_code == 1
    assert "rejected" in table.stdout
    assert "2 rejected" in table.stdout


def test_markup_in_file_names_and_titles_is_shown_verbatim(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")
    path = tmp_path / "notes [x].md"
    path.write_text(
        "# [/b] Russia and Iran [red]sign[/red] a rail deal\n\n"
        "Russia and Iran signed a rail agreement in Tehran on 3 March 2024, covering the "
        "Rasht–Astara line and new freight links between Moscow and the Gulf.\n",
        encoding="utf-8",
    )

    result = invoke("ingest", str(path), "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "notes [x].md" in result.stdout

    listing = invoke("briefs", "list", "--db", db_url)
    assert listing.exit_code == 0, listing.output
    assert "[/b]" in listing.stdout


def test_nothing_to_ingest(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")
    (tmp_path / "empty-folder").mkdir()

    result = invoke("ingest", str(tmp_path / "empty-folder"), "--db", db_url)

    assert result.exit_code == 0
    assert "No files found." in result.stdout
    assert "Accepted types: .txt" in result.stdout
