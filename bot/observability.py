"""Operations: correlation ids, structured (JSON) logs, Prometheus metrics, `/healthz`.

* **Correlation ids** live in a `ContextVar`. `serve` binds a fresh one per Slack request,
  Discord interaction and digest post (`bind_correlation_id` / `correlation_scope`); asyncio
  tasks started while it is bound (bolt's ack-then-work tasks, discord.py's command tasks)
  inherit it. Every `LogRecord` carries it as ``record.correlation_id`` (a record factory,
  so pytest's caplog and any handler see it too). The adapters' "Something went wrong (ref
  …)" messages log their ref on a line that carries the correlation id, so the ref a user
  quotes finds that line, and its correlation id finds every other line of the same request.
* **Logs**: ``LOG_FORMAT=json`` → one JSON object per line with ``time``, ``level``,
  ``logger``, ``message``, ``correlation_id`` (and ``exception`` when there is one);
  ``text`` (the default) keeps the usual line and appends ``[cid=…]`` when one is bound.
* **Metrics** (`Metrics`, one `CollectorRegistry` per process/app): asks, abstentions, ask
  latency, ingest outcomes by status, digest posts and failures. `instrument_app` wraps the
  services' methods on the `App` instance (no core file is touched); `ObservedSink` wraps a
  digest sink.
* **Ops server** (`start_ops_server`): ``GET /healthz`` (database ``SELECT 1``, scheduler
  running, platforms configured/connected; 200 or 503) and ``GET /metrics`` (Prometheus text)
  on ``METRICS_HOST:METRICS_PORT``, independent of the Slack HTTP server.

Implemented in ``bot._correlation`` (ids and log formats), ``bot._metrics`` (metrics and the
wrappers that count) and ``bot._ops_server`` (health and metrics endpoints); every public name
is re-exported here.
"""

from __future__ import annotations

from bot._correlation import (
    CorrelationTextFormatter,
    JsonFormatter,
    bind_correlation_id,
    configure_logging,
    correlation_id,
    correlation_scope,
    current_correlation_id,
    install_correlation_factory,
    instrument_discord,
    new_correlation_id,
)
from bot._metrics import Metrics, ObservedSink, instrument_app, wrap_sinks
from bot._ops_server import HealthCheck, PlatformProbe, ops_web_app, start_ops_server

__all__ = [
    "CorrelationTextFormatter",
    "HealthCheck",
    "JsonFormatter",
    "Metrics",
    "ObservedSink",
    "PlatformProbe",
    "bind_correlation_id",
    "configure_logging",
    "correlation_id",
    "correlation_scope",
    "current_correlation_id",
    "install_correlation_factory",
    "instrument_app",
    "instrument_discord",
    "new_correlation_id",
    "ops_web_app",
    "start_ops_server",
    "wrap_sinks",
]
