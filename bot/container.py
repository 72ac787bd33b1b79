"""The composition root: settings → database → services. Nothing else builds these."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import ConfigError, Settings, load_settings
from bot.llm_client import OpenAICompatibleClient
from briefs.corpus import starter_corpus_files
from briefs.digest.service import DigestService
from briefs.indicators import IndicatorModel
from briefs.indicators.embedding_head import EmbeddingHead
from briefs.ports import Embedder
from briefs.provenance import ProvenanceTable
from briefs.services import (
    Actor,
    AskService,
    BriefCatalog,
    EmbeddingIndexer,
    IngestService,
    ProvenanceService,
    SystemClock,
)
from storage import Database
from storage.digest_store import DigestStore

__all__ = [
    "App",
    "indicator_embedder",
    "indicator_model",
    "lexical_ask",
    "load_starter_corpus",
    "open_app",
]

log = logging.getLogger(__name__)

STARTER_ACTOR = Actor("system:starter-corpus", is_admin=True, platform="system")


@dataclass
class App:
    settings: Settings
    database: Database
    clock: SystemClock
    indicators: IndicatorModel
    ingest: IngestService
    catalog: BriefCatalog
    ask: AskService
    digests: DigestService
    digest_store: DigestStore
    provenance: ProvenanceService
    # set when SEMANTIC_SEARCH is on (and the `semantic` extra installed)
    embedding_index: EmbeddingIndexer | None = None


async def load_starter_corpus(app: App) -> int:
    """Ingest the bundled briefs; already-present ones are skipped as duplicates."""
    added = 0
    for name, data in starter_corpus_files():
        outcome = await app.ingest.ingest(name, data, STARTER_ACTOR)
        added += outcome.status in ("added", "new_version")
    return added


def _semantic_embedder(setting: str, *, int8: bool = False) -> Embedder:
    """The `semantic` extra's sentence model (int8: the quantized one); a ConfigError naming
    `setting` and the extra when it is not installed."""
    from bot.semantic import (
        INSTALL_HINT,
        QuantizedSentenceEmbedder,
        SemanticUnavailableError,
        SentenceTransformerEmbedder,
    )

    try:
        return QuantizedSentenceEmbedder() if int8 else SentenceTransformerEmbedder()
    except SemanticUnavailableError:
        raise ConfigError(f"{setting} needs the semantic extra: {INSTALL_HINT}") from None


def indicator_embedder() -> Embedder:
    """The int8 sentence model the indicators' embedding head was fitted on."""
    return _semantic_embedder("SEMANTIC_INDICATORS", int8=True)


def indicator_model(semantic: bool) -> IndicatorModel:
    """The shipped lexical model, or (`semantic`) the same averaged with its embedding head."""
    if not semantic:
        return IndicatorModel.load()
    return IndicatorModel.load(head=EmbeddingHead.load(), embedder=indicator_embedder())


def _build(settings: Settings, database: Database) -> App:
    clock = SystemClock()
    model = indicator_model(settings.semantic_indicators)
    digest_store = DigestStore(database.engine)
    table = _provenance_table(settings)
    index = _embedding_index(settings, database)
    return App(
        settings=settings,
        database=database,
        clock=clock,
        indicators=model,
        ingest=IngestService(
            database.briefs,
            database.audit,
            model,
            clock,
            settings.max_upload_bytes,
            provenance=table,
            after_commit=index.after_commit if index else None,
        ),
        catalog=BriefCatalog(database.briefs, database.search, database.sentences, database.audit),
        ask=_ask(settings, database, clock, index),
        digests=DigestService(
            database.sentences,
            ingested=digest_store.ingested,
            digests=digest_store.digests,
            clock=clock,
            default_tz=settings.timezone,
        ),
        digest_store=digest_store,
        provenance=ProvenanceService(database.briefs, database.audit, table),
        embedding_index=index,
    )


def _ask(
    settings: Settings, database: Database, clock: SystemClock, index: EmbeddingIndexer | None
) -> AskService:
    return AskService(
        database.search,
        database.questions,
        clock,
        llm=_llm_client(settings),
        llm_timeout_s=settings.llm_timeout_s,
        embedder=index.embedder if index else None,
        embeddings=index.store if index else None,
    )


def lexical_ask(app: App) -> AskService:
    """An AskService like `app.ask` but BM25-only (the evaluation's baseline when on)."""
    ask = _ask(app.settings, app.database, app.clock, None)
    ask.policy = app.ask.policy
    return ask


def _embedding_index(settings: Settings, database: Database) -> EmbeddingIndexer | None:
    """The embedder and its store when SEMANTIC_SEARCH is on; a ConfigError naming the
    extra when it is on but not installed."""
    if not settings.semantic_search:
        return None
    embedder = _semantic_embedder("SEMANTIC_SEARCH")
    log.info("semantic search on: BM25 fused with %s embeddings", embedder.model_name)
    return EmbeddingIndexer(embedder, database.embeddings)


def _provenance_table(settings: Settings) -> ProvenanceTable:
    """The bundled provenance table, extended by the admin's file when one is configured."""
    if settings.provenance_table is None:
        return ProvenanceTable.bundled()
    try:
        return ProvenanceTable.load(settings.provenance_table)
    except ValueError as exc:
        raise ConfigError(f"PROVENANCE_TABLE: {exc}") from None


def _llm_client(settings: Settings) -> OpenAICompatibleClient | None:
    if not (settings.llm_base_url and settings.llm_model):
        return None
    return OpenAICompatibleClient(
        settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s
    )


@asynccontextmanager
async def open_app(
    db_url: str | None = None,
    settings: Settings | None = None,
    *,
    starter: bool | None = None,
    semantic: bool | None = None,
) -> AsyncIterator[App]:
    """`semantic` overrides SEMANTIC_SEARCH (`index embed`, `eval qa --semantic`)."""
    settings = settings or load_settings()
    if semantic is not None:
        settings = settings.model_copy(update={"semantic_search": semantic})
    if db_url:
        checked = load_settings(database_url=db_url).database_url
        settings = settings.model_copy(update={"database_url": checked})
    database = await Database.connect(settings.database_url)
    try:
        await database.upgrade()
        app = _build(settings, database)
        load = settings.load_starter_corpus if starter is None else starter
        if load and await database.briefs.count(include_deleted=True) == 0:
            added = await load_starter_corpus(app)
            log.info("loaded %d starter briefs into an empty database", added)
        if app.embedding_index is not None and (missing := await app.embedding_index.pending()):
            log.warning(
                "%d passages have no embedding yet: run `python -m bot index embed`", missing
            )
        yield app
    finally:
        await database.close()
