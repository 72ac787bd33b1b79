"""PNG chart of the balance per track over the last N windows.

Uses ``matplotlib.figure.Figure`` with the Agg canvas directly: no pyplot, no global state,
safe to call from worker threads.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from briefs.digest.model import track_title

__all__ = ["balance_chart"]


def balance_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str = "Russia–Iran balance by track",
    max_tracks: int = 8,
    width_px: int = 900,
    height_px: int = 450,
) -> bytes:
    """Lines of balance in [-1, 1] per track (gaps where evidence was insufficient).

    ``labels`` names the windows oldest first; each series has one value per label. Only the
    ``max_tracks`` tracks with the most data points are drawn, to keep the legend readable.
    """
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(labels)))
    ranked = sorted(series.items(), key=lambda kv: (-sum(v is not None for v in kv[1]), kv[0]))[
        :max_tracks
    ]
    for track, values in ranked:
        ys = [math.nan if v is None else v for v in values]
        ax.plot(xs, ys, marker="o", linewidth=1.6, markersize=4, label=track_title(track))
    ax.axhline(0.0, color="#888888", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("balance  (tension −1 … +1 cooperation)")
    ax.set_xticks(xs)
    ax.set_xticklabels(list(labels), rotation=30, ha="right", fontsize=8)
    ax.set_title(title, fontsize=11)
    ax.grid(True, axis="y", alpha=0.3)
    if ranked:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "no evidence in these windows", ha="center", transform=ax.transAxes)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
