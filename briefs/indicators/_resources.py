"""Reading the packaged JSON data files (importlib.resources, no paths on disk assumed)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["DATA_FILES", "load_json"]

DATA_FILES = ("actors.json", "events.json", "model.json")


def load_json(name: str) -> Any:
    """Parse one packaged data file of `briefs.indicators`."""
    text = resources.files("briefs.indicators").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)
