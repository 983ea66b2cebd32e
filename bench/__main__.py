"""Run every bench/bench_*.py (each exposes ``run() -> list[dict]`` rows {name, value, unit, note}) and
write bench/results/results.md plus one PNG per benchmark.

    python -m bench                    # all, default (smaller) counts
    python -m bench completion timers  # only those modules
    BENCH_FULL=1 python -m bench       # the full 100,000-instance scale run
"""
from __future__ import annotations

import importlib
import os
import platform
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _modules(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if selected:
        names = [n for n in names if n.removeprefix("bench_") in selected or n in selected]
    return names


def _plot(name: str, rows: list[dict]) -> str | None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    numeric = [r for r in rows if isinstance(r.get("value"), (int, float))]
    units = sorted({r["unit"] for r in numeric})
    if not numeric:
        return None
    fig, axes = plt.subplots(len(units), 1, figsize=(10, 1.2 + 0.55 * len(numeric) + 0.6 * len(units)), squeeze=False)
    for ax, unit in zip(axes[:, 0], units):
        group = [r for r in numeric if r["unit"] == unit]
        labels = [r["name"] if len(r["name"]) < 70 else r["name"][:67] + "..." for r in group]
        ax.barh(range(len(group)), [r["value"] for r in group], color="#3b6ea5")
        ax.set_yticks(range(len(group)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        for i, r in enumerate(group):
            ax.text(r["value"], i, f" {r['value']:g}", va="center", fontsize=8)
    fig.suptitle(name)
    fig.tight_layout()
    path = RESULTS / f"{name}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    RESULTS.mkdir(exist_ok=True)
    sections, failed = [], False
    for name in _modules(argv):
        print(f"== {name}", flush=True)
        started, load_before = time.perf_counter(), os.getloadavg()[0]
        try:
            rows = importlib.import_module(f"bench.{name}").run()
        except Exception:
            failed = True
            traceback.print_exc()
            rows = [{"name": "FAILED", "value": "", "unit": "", "note": traceback.format_exc().splitlines()[-1]}]
        elapsed, load = time.perf_counter() - started, (load_before, os.getloadavg()[0])
        for r in rows:
            print(f"   {r['name']}: {r['value']} {r['unit']}  {r.get('note', '')}", flush=True)
        sections.append((name, rows, elapsed, load, _plot(name, rows)))
    lines = ["# Benchmark results", "",
             f"Run {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on {platform.node() or 'host'}: "
             f"Python {platform.python_version()}, {platform.machine()}, "
             f"{os.cpu_count()} CPUs. `make bench` (`python -m bench`) writes this file. The machine is shared "
             "(a load average above the CPU count means other work competed): compare the ratios, which "
             "are measured within one run, more than the absolute figures.", ""]
    if (RESULTS / "where-the-time-goes.md").exists():
        lines += ["Profiles behind missed targets and the fixes they led to: [where-the-time-goes.md](where-the-time-goes.md).",
                  ""]
    for name, rows, elapsed, load, png in sections:
        lines += [f"## {name} ({elapsed:.0f} s; load average {load[0]:.1f} before, {load[1]:.1f} after)", "",
                  "| measure | value | unit | note |", "|---|---:|---|---|"]
        lines += [f"| {r['name']} | {r['value']} | {r['unit']} | {r.get('note', '')} |" for r in rows]
        if png:
            lines += ["", f"![{name}]({png})"]
        lines.append("")
    # Every row that states a target, together: what `make bench` says was met or missed in this run.
    targets = [(name, r) for name, rows, *_ in sections for r in rows if "target" in str(r.get("note", ""))]
    if targets:
        lines += ["## Targets", "", "| benchmark | measure | value | verdict |", "|---|---|---:|---|"]
        lines += [f"| {name} | {r['name']} | {r['value']} {r['unit']} | {r['note']} |" for name, r in targets]
        lines.append("")
        print("== targets")
        for _name, r in targets:
            print(f"   {r['name']}: {r['value']} {r['unit']}  {r['note']}")
    target = RESULTS / ("results.md" if not argv else f"results-{'-'.join(argv)}.md")
    target.write_text("\n".join(lines))
    print(f"wrote {target}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
