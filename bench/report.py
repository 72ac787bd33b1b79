"""Targets (from the benchmarks issue), growth, the rich tables and the PNG chart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["chart", "evaluate_targets", "growth", "print_report"]


def _method(block: dict[str, Any], name: str) -> dict[str, Any] | None:
    for row in block.get("methods", []):
        if row["method"] == name and "p95_ms" in row:
            return row
    return None


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: what was measured, the goal, met or not (None: not measured)."""
    rows: list[dict[str, Any]] = []

    def add(figure: str, measured: str, goal: str, met: bool | None) -> None:
        rows.append({"figure": figure, "measured": measured, "target": goal, "met": met})

    for block in results.get("ask", []):
        n, backend = block["size"], block["backend"]
        ours = _method(block, "ours")
        if ours is None:
            continue
        if backend == "sqlite":
            naive = _method(block, "naive FTS5 OR")
            if naive:
                r = ours["p95_ms"] / naive["p95_ms"]
                add(f"ask p95 vs naive FTS5 @{n:,}", f"{r:.2f}×", "≤ 0.25×", r <= 0.25)
            rb = _method(block, "rank_bm25")
            if rb:
                r = rb["p95_ms"] / ours["p95_ms"]
                add(f"ask p95 speed-up vs rank_bm25 @{n:,}", f"{r:.2f}×", "≥ 10×", r >= 10)
            bs = _method(block, "bm25s")
            if bs:
                add(
                    f"recall@10 ours vs bm25s @{n:,}",
                    f"{ours['recall_at_10']:.3f} vs {bs['recall_at_10']:.3f}",
                    "≥ bm25s",
                    ours["recall_at_10"] >= bs["recall_at_10"],
                )
                add(
                    f"corpus sanity: bm25s recall@10 @{n:,}",
                    f"{bs['recall_at_10']:.3f}",
                    "≥ 0.8",
                    bs["recall_at_10"] >= 0.8,
                )
        else:
            naive = _method(block, "naive PG websearch OR")
            if naive:
                r = ours["p95_ms"] / naive["p95_ms"]
                add(f"PG ask p95 vs naive @{n:,}", f"{r:.2f}×", "≤ 0.1×", r <= 0.1)
    ing = results.get("ingest")
    if ing:
        add("ingest briefs/s", f"{ing['ours_per_s']:.1f}/s", "≥ 200/s", ing["ours_per_s"] >= 200)
        add("ingest vs plain INSERT", f"{ing['ratio']:.3f}×", "≥ 0.2×", ing["ratio"] >= 0.2)
    dg = results.get("digest")
    if dg:
        add("digest week + chart", f"{dg['total_s']:.2f} s", "≤ 2 s", dg["total_s"] <= 2)
    rss_rows = {r["process"]: r for r in results.get("rss", []) if "peak_mb" in r}
    if "ours" in rss_rows:
        ours_peak = rss_rows["ours"]["peak_mb"]
        add("peak RSS ours", f"{ours_peak:.0f} MB", "≤ 300 MB", ours_peak <= 300)
        if "bm25s" in rss_rows:
            r = ours_peak / rss_rows["bm25s"]["peak_mb"]
            add("peak RSS ours / bm25s", f"{r:.2f}×", "≤ 0.3×", r <= 0.3)
    cc = results.get("concurrency")
    if cc:
        add(
            f"{cc['concurrent']} concurrent asks p95 / single p95",
            f"{cc['ratio_p95']:.1f}×",
            "≤ 3×",
            cc["ratio_p95"] <= 3,
        )
    return rows


def growth(results: dict[str, Any]) -> list[dict[str, Any]]:
    """For each backend/method: p50 at the largest size over the smallest, and the exponent."""
    series: dict[tuple[str, str], list[tuple[int, float, float]]] = {}
    for block in results.get("ask", []):
        for row in block.get("methods", []):
            if "p50_ms" in row:
                key = (block["backend"], row["method"])
                series.setdefault(key, []).append((block["size"], row["p50_ms"], row["p95_ms"]))
    out = []
    for (backend, method), points in series.items():
        points.sort()
        if len(points) < 2:
            continue
        (n0, a50, a95), (n1, b50, b95) = points[0], points[-1]
        exponent = math.log(b50 / a50) / math.log(n1 / n0) if a50 > 0 and b50 > 0 else math.nan
        out.append(
            {
                "backend": backend,
                "method": method,
                "from": n0,
                "to": n1,
                "p50_growth": b50 / a50,
                "p95_growth": b95 / a95,
                "exponent": exponent,  # 1.0 = linear in corpus size
            }
        )
    return out


def chart(results: dict[str, Any], path: Path) -> Path | None:
    """Latency (p50 solid, p95 dashed) vs corpus size, log-log, one line per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[tuple[int, float, float]]] = {}
    for block in results.get("ask", []):
        for row in block.get("methods", []):
            if "p50_ms" in row:
                label = f"{row['method']} ({block['backend']})"
                series.setdefault(label, []).append((block["size"], row["p50_ms"], row["p95_ms"]))
    if not series:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=90)
    for label, points in sorted(series.items()):
        points.sort()
        xs = [p[0] for p in points]
        (line,) = ax.plot(xs, [p[1] for p in points], marker="o", label=label)
        ax.plot(xs, [p[2] for p in points], linestyle="--", color=line.get_color(), alpha=0.6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("briefs in corpus")
    ax.set_ylabel("latency, ms (solid p50, dashed p95)")
    ax.set_title("ask latency vs corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def print_report(results: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console(width=max(Console().width, 130))
    table = Table(title="ask: latency (ms) and recall@10 over questions with a known gold brief")
    cols = ("backend", "briefs", "method", "questions", "p50", "p95", "recall@10", "gold cited")
    for col in (*cols, "note"):
        table.add_column(
            col, justify="right" if col in ("p50", "p95") else "left", no_wrap=col == "method"
        )
    for block in results.get("ask", []):
        if "skipped" in block:
            size = f"{block['size']:,}"
            table.add_row(block["backend"], size, "—", "", "", "", "", "", block["skipped"])
            continue
        for row in block["methods"]:
            table.add_row(
                block["backend"],
                f"{block['size']:,}",
                row["method"],
                str(row.get("questions", "")),
                _fmt(row.get("p50_ms"), 2),
                _fmt(row.get("p95_ms"), 2),
                _fmt(row.get("recall_at_10"), 3),
                _fmt(row.get("gold_cited"), 3),
                row.get("note", ""),
            )
    console.print(table)

    other = Table(title="other figures")
    other.add_column("figure")
    other.add_column("value", justify="right")
    other.add_column("baseline (same run)", justify="right")
    ing = results.get("ingest")
    if ing:
        other.add_row(
            f"ingest ({ing['briefs']} briefs, SQLite)",
            f"{ing['ours_per_s']:.1f} briefs/s",
            f"plain INSERT {ing['plain_insert_per_s']:.0f}/s",
        )
    dg = results.get("digest")
    if dg:
        other.add_row(
            f"digest week ({dg['briefs_in_window']:,} briefs) + chart",
            f"{dg['total_s']:.2f} s (build {dg['build_s']:.2f}, chart {dg['chart_s']:.2f}, "
            f"CPU {dg.get('cpu_s', 0):.2f})",
            f"chart module import once per process: {dg.get('chart_import_s', 0):.2f} s",
        )
    cc = results.get("concurrency")
    if cc:
        other.add_row(
            f"{cc['concurrent']} concurrent asks @{cc['size']:,} p50/p95",
            f"{cc['concurrent_p50_ms']:.0f} / {cc['concurrent_p95_ms']:.0f} ms",
            f"single {cc['single_p50_ms']:.0f} / {cc['single_p95_ms']:.0f} ms",
        )
    for r in results.get("rss", []):
        value = (
            f"peak {r['peak_mb']:.0f} MB (after imports {r['base_mb']:.0f}, end {r['end_mb']:.0f})"
            if "peak_mb" in r
            else r["note"]
        )
        other.add_row(f"RSS {r['process']} @{r['size']:,}", value, "")
    console.print(other)

    gt = Table(title="growth (largest / smallest size)")
    for col in ("backend", "method", "sizes", "p50 ×", "p95 ×", "exponent"):
        gt.add_column(col)
    for g in results.get("growth", []):
        gt.add_row(
            g["backend"],
            g["method"],
            f"{g['from']:,}→{g['to']:,}",
            _fmt(g["p50_growth"], 2),
            _fmt(g["p95_growth"], 2),
            _fmt(g["exponent"], 2),
        )
    if results.get("growth"):
        console.print(gt)

    tt = Table(title="targets")
    for col in ("figure", "measured", "target", "met"):
        tt.add_column(col)
    for t in results.get("targets", []):
        met = {True: "[green]yes[/]", False: "[red]no[/]", None: "—"}[t["met"]]
        tt.add_row(t["figure"], t["measured"], t["target"], met)
    console.print(tt)
    prof = results.get("profile")
    if prof and prof.get("top_self_time"):
        console.print(f"ask profile ({prof['asks']} asks @{prof['size']:,}), top self time:")
        for item in prof["top_self_time"][:6]:
            console.print(f"  {item['self_share']:6.1%}  {item['function']}")
        console.print(f"  pyinstrument: {prof.get('pyinstrument')}")
    if results.get("chart"):
        console.print(f"chart: {results['chart']}")
    console.print(f"elapsed {results.get('elapsed_s', 0):.0f} s")
