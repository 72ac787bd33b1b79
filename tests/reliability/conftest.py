"""Fixtures for the reliability suite: generated briefs, a resettable database per backend.

`db_url` and `database` come from tests/conftest.py (SQLite file / fresh PostgreSQL schema).
Figures measured by the tests are printed as JSON lines (see them with `-s`) and, when
RELIABILITY_FIGURES names a file, appended to it: that is where RELIABILITY.md's numbers
come from.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.reliability._support import write_briefs


@pytest.fixture(scope="session")
def brief_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty distinct generated Markdown briefs (read-only: tests copy what they change)."""
    folder = tmp_path_factory.mktemp("generated-briefs")
    write_briefs(folder, 30)
    return folder


@pytest.fixture
def record_figure(request: pytest.FixtureRequest) -> Any:
    """`record_figure(name, **values)`: keep a measured figure for RELIABILITY.md."""
    target = os.environ.get("RELIABILITY_FIGURES")

    def record(name: str, **values: Any) -> None:
        line = json.dumps({"test": request.node.nodeid, "figure": name, **values})
        print(line)
        if target:
            with Path(target).open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    return record


@pytest.fixture
async def core_app(db_url: str) -> Any:
    """The real App (services) on each backend, holding the five-brief starter corpus."""
    from bot.config import Settings
    from bot.container import open_app

    settings = Settings(_env_file=None, database_url=db_url, load_starter_corpus=True)  # type: ignore[call-arg]
    async with open_app(settings=settings) as app:
        yield app
