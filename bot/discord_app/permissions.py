"""Who is an admin on Discord — decided in code on every admin command and button.

`default_permissions` on a command is only a hint that a server's admins can override, so a
command reaching us proves nothing. Admin = a configured admin role (DISCORD_ADMIN_ROLE_IDS),
or Manage Guild / Administrator in the channel, or a user id in ADMIN_USER_IDS.
"""

from __future__ import annotations

import discord

from bot.config import Settings
from briefs.errors import PermissionDeniedError
from briefs.services.actor import Actor

__all__ = ["actor_for", "is_admin", "require_admin"]


def _role_ids(user: discord.abc.User) -> set[str]:
    # Interaction members arrive with role ids only (the guild's roles may not be cached), so
    # read the ids discord.py keeps on the Member (`_roles`, discord.py 2.7) rather than
    # `Member.roles`, which drops ids it cannot resolve.
    raw = getattr(user, "_roles", None) or ()
    return {str(r) for r in raw}


def is_admin(interaction: discord.Interaction, settings: Settings) -> bool:
    user = interaction.user
    if user is None:
        return False
    admin_ids = {s.removeprefix("discord:") for s in settings.admin_user_ids}
    if str(user.id) in admin_ids:
        return True
    if interaction.guild_id is None or not isinstance(user, discord.Member):
        return False  # in DMs only ADMIN_USER_IDS count
    perms = interaction.permissions
    if perms.administrator or perms.manage_guild:
        return True
    wanted = {str(r) for r in settings.discord_admin_role_ids}
    return bool(wanted & _role_ids(user))


def require_admin(interaction: discord.Interaction, settings: Settings, action: str) -> None:
    if not is_admin(interaction, settings):
        raise PermissionDeniedError(f"Only admins can {action}.")


def actor_for(interaction: discord.Interaction, settings: Settings) -> Actor:
    return Actor(
        f"discord:{interaction.user.id}",
        is_admin=is_admin(interaction, settings),
        platform="discord",
    )
