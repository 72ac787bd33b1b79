"""Build the bolt `AsyncApp` from the core `App`, and run it (Socket Mode or HTTP mode).

``build_slack(app)`` wires settings, the web client (with `AsyncRateLimitErrorRetryHandler`;
``client`` is injectable, e.g. ``AsyncWebClient(base_url="http://127.0.0.1:…/api/")`` in
tests), permissions, event de-duplication, the listeners and a global error handler.
``run_slack(app)`` serves it until cancelled.

State shared by instances (HTTP mode behind a load balancer) lives in the database: seen event
ids and upload previews (``storage.chat_state``). With ``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET`` set, the app is multi-workspace: ``/slack/install`` starts the OAuth
flow, ``/slack/oauth_redirect`` stores the installation (slack_sdk's async SQLAlchemy stores on
the same database), and each event is authorised with its workspace's bot token.

Digests: ``build_slack`` uses ``app.digests`` / ``app.digest_store`` when the container
provides them, else builds a `DigestService` and a `DigestStore` on ``app.database``. To let the
scheduler post to Slack, build the runtime first and hand ``runtime.sink`` to it::

    runtime = build_slack(app, on_subscriptions_changed=lambda: scheduler.reload())
    scheduler = DigestScheduler(..., sinks={"slack": runtime.sink})
    await run_slack(app, runtime=runtime)
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot._pending import PendingUploads
from bot.config import ConfigError
from bot.container import App
from bot.slack_app._services import FileDownloader, SlackServices, new_ref
from bot.slack_app.blocks import notice
from bot.slack_app.dedupe import SharedDeduplicator, dedupe_middleware
from bot.slack_app.listeners import register_all
from bot.slack_app.permissions import SlackPermissions
from bot.slack_app.sink import SlackDigestSink, TokenLookup
from briefs.digest.ports import SubscriptionRepository
from briefs.digest.service import DigestService
from briefs.errors import UserError
from storage.chat_state import ChatState

__all__ = [
    "BOT_SCOPES",
    "EVENTS_PATH",
    "SlackRuntime",
    "build_slack",
    "oauth_settings",
    "run_slack",
]

log = logging.getLogger("bot.slack_app")

EVENTS_PATH = "/slack/events"


@dataclass
class SlackRuntime:
    bolt: AsyncApp
    client: AsyncWebClient
    services: SlackServices
    sink: SlackDigestSink


def _secret(value: SecretStr | str | None) -> str:
    if value is None:
        return ""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _digest_parts(app: App) -> tuple[DigestService | None, SubscriptionRepository | None]:
    digests = getattr(app, "digests", None)
    store = getattr(app, "digest_store", None)
    if store is None:
        try:
            from storage.digest_store import DigestStore

            store = DigestStore(app.database.engine, app.clock)
        except Exception:  # pragma: no cover - digests are optional for the adapter
            log.exception("digest storage unavailable; /digest subscribe is disabled")
            store = None
    if digests is None:
        digests = DigestService(
            app.database.sentences,
            ingested=getattr(store, "ingested", None),
            digests=getattr(store, "digests", None),
            clock=app.clock,
            default_tz=app.settings.timezone,
        )
    subscriptions = getattr(store, "subscriptions", None)
    return digests, subscriptions


# Bot scopes requested by the OAuth install (keep in step with slack_manifest.yml).
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
    "usergroups:read",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def oauth_settings(app: App) -> AsyncOAuthSettings:
    """OAuth with slack_sdk's async SQLAlchemy stores on the app's database.

    The tables (``slack_installations``, ``slack_bots``, ``slack_oauth_states``) are created
    by migration 0004, never at run time.
    """
    settings = app.settings
    client_id = settings.slack_client_id or ""
    engine = app.database.engine
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=_secret(settings.slack_client_secret),
        scopes=list(BOT_SCOPES),
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine),
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
    )


def build_slack(
    app: App,
    *,
    client: AsyncWebClient | None = None,
    token: str | None = None,
    signing_secret: str | None = None,
    download_hosts: tuple[str, ...] = ("files.slack.com",),
    digests: DigestService | None = None,
    subscriptions: SubscriptionRepository | None = None,
    on_subscriptions_changed: Callable[[], Awaitable[Any]] | None = None,
    permissions: SlackPermissions | None = None,
    chat_state: ChatState | None = None,
) -> SlackRuntime:
    """The bolt app: one workspace (``SLACK_BOT_TOKEN``) or many (OAuth, when
    ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are set: HTTP mode only)."""
    settings = app.settings
    oauth = settings.slack_oauth_enabled
    secret = signing_secret or _secret(settings.slack_signing_secret)
    if oauth:
        if settings.slack_mode != "http":
            raise ConfigError(
                "Invalid configuration: SLACK_MODE: OAuth installs (SLACK_CLIENT_ID) need http"
            )
        token = None  # each workspace's bot token comes from its installation
        if client is None:
            client = AsyncWebClient()
        client.token = None
    else:
        token = token or _secret(settings.slack_bot_token) or (client.token if client else None)
        if not token:
            raise ConfigError(
                "Invalid configuration: SLACK_BOT_TOKEN: required to run the Slack bot"
            )
        if client is None:
            client = AsyncWebClient(token=token)
        elif client.token is None:
            client.token = token
    if settings.slack_mode == "http" and not secret:
        raise ConfigError("Invalid configuration: SLACK_SIGNING_SECRET: required in HTTP mode")
    if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))

    oauth_config = oauth_settings(app) if oauth else None
    bolt = AsyncApp(
        name="briefbot",
        client=client,
        signing_secret=secret,
        process_before_response=False,
        oauth_settings=oauth_config,
    )
    if digests is None and subscriptions is None:
        digests, subscriptions = _digest_parts(app)
    store = oauth_config.installation_store if oauth_config is not None else None
    sink = SlackDigestSink(client, token_for=_bot_token_lookup(store) if store else None)
    state = chat_state or ChatState(app.database.engine, app.clock)
    services = SlackServices(
        app=app,
        permissions=permissions
        or SlackPermissions(
            admin_user_ids=settings.slack_admin_user_ids,
            generic_admin_ids=settings.admin_user_ids,
            usergroup_id=settings.slack_admin_usergroup_id,
        ),
        downloader=FileDownloader(token, allowed_hosts=download_hosts),
        dedupe=SharedDeduplicator(state.events),
        previews=PendingUploads(
            state.uploads, "slack", new_token=lambda: secrets.token_urlsafe(16)
        ),
        digests=digests,
        subscriptions=subscriptions,
        sink=sink,
        on_subscriptions_changed=on_subscriptions_changed,
    )
    bolt.middleware(dedupe_middleware(services.dedupe))
    register_all(bolt, services)

    @bolt.error
    async def on_error(error: Exception, body: dict[str, Any], respond: AsyncRespond) -> None:
        """Last resort for anything a listener did not handle itself."""
        if isinstance(error, UserError):
            text = error.message
        else:
            ref = new_ref()
            log.error("unhandled Slack error (ref %s)", ref, exc_info=error)
            text = f"Something went wrong (ref {ref})."
        if respond is not None and body.get("response_url"):
            try:
                await respond(
                    response_type="ephemeral", replace_original=False, **notice(text).kwargs()
                )
            except Exception:
                log.exception("could not report an error to Slack")

    return SlackRuntime(bolt=bolt, client=client, services=services, sink=sink)


def _bot_token_lookup(store: AsyncInstallationStore) -> TokenLookup:
    async def token_for(team: str) -> str | None:
        bot = await store.async_find_bot(enterprise_id=None, team_id=team)
        return bot.bot_token if bot is not None else None

    return token_for


def web_app(runtime: SlackRuntime, port: int) -> web.Application:
    """The HTTP-mode aiohttp application: ``POST /slack/events``, ``GET /healthz`` and, with
    OAuth, ``GET /slack/install`` and ``GET /slack/oauth_redirect``."""
    application = runtime.bolt.web_app(path=EVENTS_PATH, port=port)

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    application.router.add_get("/healthz", healthz)
    return application


async def run_slack(
    app: App,
    *,
    runtime: SlackRuntime | None = None,
    host: str = "0.0.0.0",  # noqa: S104
) -> None:
    """Serve Slack until cancelled: Socket Mode (one box, dev) or HTTP mode (production)."""
    runtime = runtime or build_slack(app)
    settings = app.settings
    if settings.slack_mode == "socket":
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        app_token = _secret(settings.slack_app_token)
        if not app_token:
            raise ConfigError("Invalid configuration: SLACK_APP_TOKEN: required in Socket Mode")
        handler = AsyncSocketModeHandler(runtime.bolt, app_token)
        log.info("Slack: connecting in Socket Mode")
        try:
            await handler.start_async()  # type: ignore[no-untyped-call]
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]
        return
    runner = web.AppRunner(web_app(runtime, settings.slack_port))
    await runner.setup()
    try:
        site = web.TCPSite(runner, host=host, port=settings.slack_port)
        await site.start()
        log.info("Slack: HTTP mode on %s:%d%s", host, settings.slack_port, EVENTS_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
