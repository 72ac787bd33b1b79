"""The bundled starter corpus: five briefs written from the seed articles in our own words."""

from __future__ import annotations

from importlib import resources

__all__ = ["starter_corpus_files"]


def starter_corpus_files() -> list[tuple[str, bytes]]:
    """(file name, content) of every bundled brief, in file-name order."""
    folder = resources.files("briefs.corpus")
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith(".md") and entry.name[:2].isdigit()
    )
