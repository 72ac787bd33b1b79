"""Who is a Slack admin: checked in code for every admin command and every admin button.

An admin is (1) a user id listed in ``SLACK_ADMIN_USER_IDS`` (or ``slack:T/U`` / ``slack:U`` in
``ADMIN_USER_IDS``), (2) a member of ``SLACK_ADMIN_USERGROUP_ID`` (``usergroups.users.list``),
or (3) a workspace admin or owner (``users.info`` → ``is_admin`` / ``is_owner``). Any API
failure counts as "not an admin" (fail closed). Answers are cached briefly per user.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from briefs.services.actor import Actor

__all__ = ["ADMIN_REFUSAL", "SlackPermissions", "actor_id"]

log = logging.getLogger(__name__)

ADMIN_REFUSAL = "Only admins can {action}."


def actor_id(team_id: str | None, user_id: str) -> str:
    return f"slack:{team_id or '-'}/{user_id}"


class SlackPermissions:
    def __init__(
        self,
        *,
        admin_user_ids: Collection[str] = (),
        generic_admin_ids: Collection[str] = (),
        usergroup_id: str | None = None,
        ttl_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._users = {u.strip() for u in admin_user_ids if u.strip()}
        self._generic = {u.strip() for u in generic_admin_ids if u.strip()}
        self._usergroup = usergroup_id or None
        self._ttl = ttl_s
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}
        self._group_cache: tuple[float, frozenset[str]] | None = None

    def _configured(self, team_id: str | None, user_id: str) -> bool:
        return (
            user_id in self._users
            or actor_id(team_id, user_id) in self._generic
            or f"slack:{user_id}" in self._generic
        )

    async def is_admin(self, client: AsyncWebClient, team_id: str | None, user_id: str) -> bool:
        if not user_id:
            return False
        if self._configured(team_id, user_id):
            return True
        key = (team_id or "", user_id)
        now = self._clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        result = await self._in_usergroup(client, user_id) or await self._workspace_admin(
            client, user_id
        )
        self._cache[key] = (now + self._ttl, result)
        return result

    async def actor(self, client: AsyncWebClient, team_id: str | None, user_id: str) -> Actor:
        admin = await self.is_admin(client, team_id, user_id)
        return Actor(actor_id(team_id, user_id), is_admin=admin, platform="slack")

    async def _in_usergroup(self, client: AsyncWebClient, user_id: str) -> bool:
        if not self._usergroup:
            return False
        now = self._clock()
        if self._group_cache is None or self._group_cache[0] <= now:
            try:
                resp = await client.usergroups_users_list(usergroup=self._usergroup)
                members = frozenset(str(u) for u in resp.get("users") or [])
            except (SlackApiError, SlackClientError) as exc:
                log.warning("usergroups.users.list failed (%s); treating as not admin", exc)
                return False
            self._group_cache = (now + self._ttl, members)
        return user_id in self._group_cache[1]

    async def _workspace_admin(self, client: AsyncWebClient, user_id: str) -> bool:
        try:
            resp = await client.users_info(user=user_id)
        except (SlackApiError, SlackClientError) as exc:
            log.warning("users.info failed (%s); treating as not admin", exc)
            return False
        user = resp.get("user") or {}
        if user.get("deleted") or user.get("is_restricted") or user.get("is_bot"):
            return False
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
