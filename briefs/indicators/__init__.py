"""Cooperation/tension indicators for the Russia–Iran dyad, sentence by sentence.

An event dictionary (``events.json``: CAMEO/PLOVER types with Goldstein weights), an actor
alias table (``actors.json``) and two small logistic regressions (``model.json``) read each
sentence of a brief: is it about the dyad, cooperation/tension/neutral, in which mode, on
which track, with what signed intensity. Inference uses numpy only; training
(:mod:`briefs.indicators.train`) needs scikit-learn.
"""

from __future__ import annotations

from briefs.indicators.balance import document_balance
from briefs.indicators.evaluate import (
    BalanceReport,
    SentenceEvalReport,
    balance_correlation,
    evaluate_sentences,
)
from briefs.indicators.model import LABELS, IndicatorModel
from briefs.indicators.modes import MODES
from briefs.indicators.tracks import TRACKS

__all__ = [
    "LABELS",
    "MODES",
    "TRACKS",
    "BalanceReport",
    "IndicatorModel",
    "SentenceEvalReport",
    "balance_correlation",
    "document_balance",
    "evaluate_sentences",
]
