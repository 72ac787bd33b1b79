"""Training the shipped model (needs the optional ``train`` extra: scikit-learn).

Retrain and overwrite ``briefs/indicators/model.json`` from ``eval/dev/sentences.jsonl``::

    python -c "from briefs.indicators.train import retrain; print(retrain())"

or ``python -m briefs.indicators.train`` (same thing; prints test-split figures).
scikit-learn is imported inside the functions only; inference never needs it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from briefs.indicators.actors import ActorMatcher
from briefs.indicators.evaluate import SentenceEvalReport, evaluate_sentences
from briefs.indicators.features import Featurizer, Parsed
from briefs.indicators.lexicon import Lexicon
from briefs.indicators.model import LABELS, IndicatorModel
from briefs.indicators.tracks import TRACKS

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_OUT",
    "compare",
    "dictionary_spec",
    "load_rows",
    "retrain",
    "train",
]

_REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = _REPO / "eval" / "dev" / "sentences.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parent / "model.json"
_C_GRID = (1.0, 3.0, 10.0, 30.0)


def load_rows(path: Path | str = DEFAULT_DATA) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _parse_rows(rows: Sequence[Mapping[str, Any]], fz: Featurizer) -> list[Parsed]:
    out = []
    for row in rows:
        prev_text = row.get("previous")
        prev = fz.actors.mentions(prev_text) if prev_text else None
        out.append(fz.parse(str(row["text"]), prev, prev.both if prev else False))
    return out


def _spec(
    names: list[str],
    idf: list[float],
    *,
    dictionary_features: bool,
    track_rules: bool,
    label: tuple[list[list[float]], list[float]] | None = None,
    track: tuple[list[str], list[list[float]], list[float]] | None = None,
) -> dict[str, Any]:
    n = len(names)
    label_coef, label_b = label or ([[0.0] * len(LABELS)] * n, [0.0] * len(LABELS))
    track_classes, track_coef, track_b = track or (
        list(TRACKS),
        [[0.0] * len(TRACKS)] * n,
        [0.0] * len(TRACKS),
    )
    return {
        "version": "untrained",
        "dictionary_features": dictionary_features,
        "track_rules": track_rules,
        "features": names,
        "idf": idf,
        "dict_scale": 1.0,
        "label": {"classes": list(LABELS), "coef": label_coef, "intercept": label_b},
        "track": {"classes": track_classes, "coef": track_coef, "intercept": track_b},
    }


def _matrix(model: IndicatorModel, parsed: Sequence[Parsed]) -> Any:
    from scipy.sparse import csr_matrix

    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for p in parsed:
        idx, vals = model.vector(p)
        indices.extend(int(i) for i in idx)
        data.extend(float(v) for v in vals)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(parsed), len(model.index)))


def _fit(x: Any, y: Sequence[str], c: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    # newton-cg reaches the same L2 optimum as lbfgs here in a fraction of the time.
    clf = LogisticRegression(C=c, solver="newton-cg", max_iter=500, random_state=seed)
    clf.fit(x, list(y))
    return clf


def _choose_c(x: Any, y: Sequence[str], seed: int) -> float:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    labels = np.asarray(y)
    folds = min(5, int(min(Counter(y).values())))
    if folds < 2:
        return 10.0
    best_c, best = _C_GRID[0], -1.0
    for c in _C_GRID:
        scores = []
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        for tr, te in skf.split(np.zeros(len(labels)), labels):
            clf = _fit(x[tr], labels[tr], c, seed)
            scores.append(f1_score(labels[te], clf.predict(x[te]), average="macro"))
        mean = float(np.mean(scores))
        if mean > best + 1e-9:
            best_c, best = c, mean
    return best_c


def _coef_rows(clf: Any, classes: Sequence[str]) -> tuple[list[list[float]], list[float]]:
    """Feature-major weights in the order of `classes` (3+ classes: one row per class)."""
    order = [list(clf.classes_).index(c) for c in classes]
    coef = np.asarray(clf.coef_)[order].T
    return (
        [[round(float(v), 4) for v in row] for row in coef],
        [round(float(clf.intercept_[i]), 4) for i in order],
    )


def train(
    rows: Sequence[Mapping[str, Any]],
    *,
    split: str | None = "train",
    dictionary_features: bool = True,
    track_rules: bool = True,
    max_ngrams: int = 2500,
    min_df_words: int = 2,
    min_df_chars: int = 3,
    seed: int = 13,
    c_label: float | None = None,
    c_track: float | None = None,
    dict_scale: float = 1.0,
) -> dict[str, Any]:
    """Fit the label and track regressions; returns the ``model.json`` content.

    Uses the rows whose ``split`` equals `split` (all rows when None). The n-gram vocabulary
    is pruned twice: by document frequency, then to the `max_ngrams` features with the largest
    coefficients in either regression, after which both are refitted.
    """
    data = [r for r in rows if split is None or r.get("split") == split]
    lexicon, actors = Lexicon.load(), ActorMatcher.load()
    fz = Featurizer(lexicon, actors)
    parsed = _parse_rows(data, fz)
    df: Counter[str] = Counter()
    dict_names: set[str] = set()
    for p in parsed:
        df.update(Featurizer.ngram_counts(p).keys())
        if dictionary_features:
            dict_names.update(Featurizer.dictionary_features(p).keys())
    n_docs = len(parsed)

    def keep(name: str) -> bool:
        return df[name] >= (min_df_chars if name.startswith("c:") else min_df_words)

    ngrams = sorted(name for name in df if keep(name))
    labels = [str(r["label"]) for r in data]
    track_rows = [i for i, r in enumerate(data) if r["label"] != "neutral"]
    track_y = [str(data[i]["category"]) for i in track_rows]
    track_classes = [t for t in TRACKS if t in set(track_y)]

    def fit_all(names: list[str], cl: float | None, ct: float | None) -> tuple[Any, ...]:
        idf = [
            math.log((1 + n_docs) / (1 + df[name])) + 1.0 if not name.startswith("d:") else 1.0
            for name in names
        ]
        spec = _spec(names, idf, dictionary_features=dictionary_features, track_rules=track_rules)
        spec["dict_scale"] = dict_scale
        model = IndicatorModel(spec, lexicon=lexicon, actors=actors)
        x = _matrix(model, parsed)
        cl = cl if cl is not None else _choose_c(x, labels, seed)
        xt = x[track_rows]
        ct = ct if ct is not None else _choose_c(xt, track_y, seed)
        return spec, _fit(x, labels, cl, seed), _fit(xt, track_y, ct, seed), cl, ct

    names = ngrams + sorted(dict_names)
    _, label_clf, track_clf, c_label, c_track = fit_all(names, c_label, c_track)
    importance = np.maximum(
        np.abs(np.asarray(label_clf.coef_)).max(axis=0),
        np.abs(np.asarray(track_clf.coef_)).max(axis=0),
    )
    ranked = sorted(
        (i for i, n in enumerate(names) if not n.startswith("d:")), key=lambda i: -importance[i]
    )
    kept = sorted(names[i] for i in ranked[:max_ngrams]) + sorted(dict_names)
    fitted, label_clf, track_clf, _, _ = fit_all(kept, c_label, c_track)
    spec: dict[str, Any] = fitted
    spec["label"]["coef"], spec["label"]["intercept"] = _coef_rows(label_clf, LABELS)
    coef, intercept = _coef_rows(track_clf, track_classes)
    spec["track"] = {"classes": track_classes, "coef": coef, "intercept": intercept}
    spec["idf"] = [round(v, 4) for v in spec["idf"]]
    digest = hashlib.sha1(
        json.dumps([spec["features"], spec["label"]["coef"]]).encode(), usedforsecurity=False
    ).hexdigest()[:8]
    spec["version"] = f"indicators-{dt.date.today():%Y%m%d}-{digest}"
    spec["training"] = {
        "rows": n_docs,
        "split": split,
        "c_label": c_label,
        "c_track": c_track,
        "ngram_features": len(kept) - len(dict_names),
        "dictionary_features": len(dict_names),
    }
    return spec


def retrain(
    data: Path | str = DEFAULT_DATA, out: Path | str = DEFAULT_OUT, *, split: str | None = "train"
) -> dict[str, Any]:
    """Train on `data` (train split) and write `out`; returns a short summary."""
    spec = train(load_rows(data), split=split)
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
    Path(out).write_text(text + "\n", encoding="utf-8")
    return {"version": spec["version"], "bytes": len(text) + 1, **spec["training"]}


def compare(
    rows: Sequence[Mapping[str, Any]], model: IndicatorModel | None = None
) -> dict[str, SentenceEvalReport]:
    """Test-split reports: the shipped/combined model, LR-only and dictionary-only."""
    test = [r for r in rows if r.get("split") == "test"]
    combined = model or IndicatorModel(train(rows))
    lr_only = IndicatorModel(train(rows, dictionary_features=False, track_rules=False))
    dict_only = IndicatorModel(dictionary_spec(), dictionary_only=True)
    return {
        "combined": evaluate_sentences(test, combined),
        "lr_only": evaluate_sentences(test, lr_only),
        "dictionary_only": evaluate_sentences(test, dict_only),
    }


def dictionary_spec() -> dict[str, Any]:
    """An empty spec (no n-grams) for the dictionary-only baseline."""
    spec = _spec([], [], dictionary_features=False, track_rules=True)
    spec["version"] = "dictionary"
    return spec


def _print_report(name: str, r: SentenceEvalReport) -> None:
    per = " ".join(
        f"{lab}: P={r.precision[lab]:.3f} R={r.recall[lab]:.3f} F1={r.f1[lab]:.3f}"
        for lab in LABELS
    )
    track = f"{r.track_accuracy:.3f}" if r.track_accuracy is not None else "n/a"
    mode = f"{r.mode_accuracy:.3f}" if r.mode_accuracy is not None else "n/a"
    print(
        f"{name}: n={r.n} acc={r.accuracy:.3f} macroF1={r.macro_f1:.3f} "
        f"track_acc={track} (n={r.track_n}) mode_acc={mode} "
        f"ms p50={r.ms_per_sentence_p50:.3f} p95={r.ms_per_sentence_p95:.3f}\n  {per}\n"
        f"  confusion(gold x pred, {LABELS})={r.confusion}"
    )


def main() -> None:  # pragma: no cover - manual entry point
    summary = retrain()
    print(summary)
    rows = load_rows()
    for name, report in compare(rows, IndicatorModel.load()).items():
        _print_report(name, report)


if __name__ == "__main__":  # pragma: no cover
    main()
