"""The ``quiet`` rule: a quiet subscription posts only when something happened."""

from __future__ import annotations

from briefs.digest.model import Digest

__all__ = ["should_post"]


def should_post(digest: Digest, *, quiet: bool) -> bool:
    """Always post unless ``quiet``; then only when an arrow moved or new briefs arrived."""
    if not quiet:
        return True
    if digest.new_in_corpus:
        return True
    return digest.overall.direction.moved or any(r.direction.moved for r in digest.tracks)
