"""Who is acting, as the adapters determined it, and the system clock."""

from __future__ import annotations

from dataclasses import dataclass

from briefs.clock import SystemClock
from briefs.errors import PermissionDeniedError

__all__ = ["Actor", "SystemClock", "require_admin"]


@dataclass(frozen=True, slots=True)
class Actor:
    """`id` is platform-qualified, e.g. "discord:1234", "slack:T1/U2", "cli:alice"."""

    id: str
    is_admin: bool = False
    platform: str = "cli"


def require_admin(actor: Actor, action: str) -> None:
    if not actor.is_admin:
        raise PermissionDeniedError(f"Only admins can {action}.")
