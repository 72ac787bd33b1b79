"""Prometheus metrics: the `Metrics` registry, `instrument_app` (asks and ingests) and
`ObservedSink` / `wrap_sinks` (digest posts). Re-exported by ``bot.observability``.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from bot._correlation import correlation_scope
from briefs.digest.model import Digest
from briefs.digest.ports import DigestSink, Subscription
from briefs.errors import DuplicateBriefError, NearDuplicateError, UserError

__all__ = ["ASK_BUCKETS", "Metrics", "ObservedSink", "instrument_app", "wrap_sinks"]

log = logging.getLogger("bot.observability")

# -------------------------------------------------------------------------------- metrics

ASK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The bot's Prometheus metrics, in their own registry (one per app; tests make many)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.asks = Counter(
            "briefbot_asks",
            "Questions asked, by platform and outcome (answered/abstained/invalid/error).",
            ["platform", "outcome"],
            registry=r,
        )
        self.abstains = Counter(
            "briefbot_abstains",
            "Questions the bot abstained on, by platform.",
            ["platform"],
            registry=r,
        )
        self.ask_latency = Histogram(
            "briefbot_ask_latency_seconds",
            "Time to answer a question (search, compose, log), by platform.",
            ["platform"],
            buckets=ASK_BUCKETS,
            registry=r,
        )
        self.ingests = Counter(
            "briefbot_ingest",
            "Upload/ingest outcomes by status "
            "(added/new_version/duplicate/near_duplicate/rejected/error).",
            ["status"],
            registry=r,
        )
        self.digest_posts = Counter(
            "briefbot_digest_posts", "Digests posted, by platform.", ["platform"], registry=r
        )
        self.digest_failures = Counter(
            "briefbot_digest_post_failures",
            "Digest post attempts that raised, by platform (the scheduler retries).",
            ["platform"],
            registry=r,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def value(self, name: str, **labels: str) -> float:
        """A sample's current value (0 when absent): for tests and the healthz summary."""
        found = self.registry.get_sample_value(name, labels)
        return float(found) if found is not None else 0.0


_in_ingest: contextvars.ContextVar[bool] = contextvars.ContextVar("_in_ingest", default=False)


def _platform(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    actor = kwargs.get("actor", args[1] if len(args) > 1 else None)
    return str(getattr(actor, "platform", None) or "unknown")


def instrument_app(app: Any, metrics: Metrics) -> None:
    """Count asks and ingests by wrapping ``app.ask`` / ``app.ingest`` methods in place.

    ``ask`` → asks/abstains/latency. ``ingest`` → one outcome per call; ``prepare`` (user
    errors only) and ``commit`` → the adapters' preview-then-confirm uploads, not counted again
    when ``ingest`` calls them itself. Idempotent per service instance.
    """
    ask_service = app.ask
    if not getattr(ask_service, "_observed", False):
        real_ask = ask_service.ask

        @functools.wraps(real_ask)
        async def ask(*args: Any, **kwargs: Any) -> Any:
            platform = _platform(args, kwargs)
            started = time.perf_counter()
            try:
                answer = await real_ask(*args, **kwargs)
            except UserError:
                metrics.asks.labels(platform, "invalid").inc()
                raise
            except Exception:
                metrics.asks.labels(platform, "error").inc()
                raise
            finally:
                metrics.ask_latency.labels(platform).observe(time.perf_counter() - started)
            abstained = bool(getattr(answer, "abstained", False))
            metrics.asks.labels(platform, "abstained" if abstained else "answered").inc()
            if abstained:
                metrics.abstains.labels(platform).inc()
            return answer

        setattr(ask_service, "ask", ask)  # noqa: B010 (instance attribute shadows the method)
        setattr(ask_service, "_observed", True)  # noqa: B010

    ingest_service = app.ingest
    if getattr(ingest_service, "_observed", False):
        return
    real_ingest = ingest_service.ingest
    real_prepare = ingest_service.prepare
    real_commit = ingest_service.commit

    @functools.wraps(real_ingest)
    async def ingest(*args: Any, **kwargs: Any) -> Any:
        token = _in_ingest.set(True)
        try:
            outcome = await real_ingest(*args, **kwargs)
        except Exception:
            metrics.ingests.labels("error").inc()
            raise
        finally:
            _in_ingest.reset(token)
        metrics.ingests.labels(str(getattr(outcome, "status", "unknown"))).inc()
        return outcome

    @functools.wraps(real_prepare)
    async def prepare(*args: Any, **kwargs: Any) -> Any:
        try:
            return await real_prepare(*args, **kwargs)
        except UserError:
            if not _in_ingest.get():
                metrics.ingests.labels("rejected").inc()
            raise

    @functools.wraps(real_commit)
    async def commit(prepared: Any, *args: Any, **kwargs: Any) -> Any:
        counted = not _in_ingest.get()
        try:
            stored = await real_commit(prepared, *args, **kwargs)
        except DuplicateBriefError:
            status = "duplicate"
            raise
        except NearDuplicateError:
            status = "near_duplicate"
            raise
        except UserError:
            status = "rejected"
            raise
        except Exception:
            status = "error"
            raise
        else:
            status = "new_version" if getattr(prepared, "status", "") == "new_version" else "added"
            return stored
        finally:
            if counted:
                metrics.ingests.labels(status).inc()

    setattr(ingest_service, "ingest", ingest)  # noqa: B010
    setattr(ingest_service, "prepare", prepare)  # noqa: B010
    setattr(ingest_service, "commit", commit)  # noqa: B010
    setattr(ingest_service, "_observed", True)  # noqa: B010


class ObservedSink:
    """A `DigestSink` that counts posts/failures and gives each post a correlation id."""

    def __init__(self, inner: DigestSink, platform: str, metrics: Metrics) -> None:
        self.inner = inner
        self.platform = platform
        self._metrics = metrics

    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        with correlation_scope():
            try:
                message_id = await self.inner.post(subscription, digest, chart_png)
            except Exception:
                self._metrics.digest_failures.labels(self.platform).inc()
                raise
            self._metrics.digest_posts.labels(self.platform).inc()
            log.info("digest for subscription %s posted to %s", subscription.id, self.platform)
            return message_id

    def __getattr__(self, name: str) -> Any:  # e.g. SlackDigestSink helpers
        return getattr(self.inner, name)


def wrap_sinks(sinks: dict[str, DigestSink], metrics: Metrics) -> dict[str, DigestSink]:
    return {name: ObservedSink(sink, name, metrics) for name, sink in sinks.items()}
