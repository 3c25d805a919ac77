"""Benchmark of `quellenlage compare`: accuracy on partial translations, Text+Berg, speed.

    python benchmarks/compare.py [--data ../shared/data] [--cases 20] [--runs 3]

1. Partial translations built from real parallel text (Text+Berg dev, German as the derived
   side, French as the original): a window of 200 original sentences; 30-70 % of the German
   side dropped in blocks of 2-8 beads; author remarks inserted (our own German remarks
   and subjective sentences from CheckThat! 2025 German train); nothing shuffled. Scores:
   precision and recall of "added" (derived sentences with no counterpart) and "left out"
   (original sentences not rendered). Seeds 100.. (calibration used seeds 0-7). A second
   row set covers only 5-15 % of the original (drop 85-95 %).
2. Text+Berg dev alignment, strict and lax F1 (Vecalign's definitions).
3. Speed: a 60-sentence derived text against a 200-sentence original, in a fresh process
   pinned to one core (taskset, BLAS threads = 1), model load and imports included; median
   of --runs runs, and the peak memory of that process.

The same DP runs over the embedding similarity (USE multilingual v3) and over a
bag-of-words similarity (Dice overlap of 5-letter word prefixes), side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REMARKS = ROOT / "tests" / "fixtures" / "align" / "remarks.de.txt"

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from quellenlage.align.core import align_sentences, load_params
similarity = sys.argv[3]
derived = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
original = Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()
params = load_params()
if similarity == "bow":
    from quellenlage.align.core import load_bow_params
    params = load_bow_params()
if similarity == "full":
    from quellenlage.align import align_texts
    c = align_texts("\n".join(derived), "\n".join(original), presegmented=True,
                    lang_derived="de", lang_original="fr")
    n = len(c.links)
else:
    n = len(align_sentences(derived, original, params=params, similarity=similarity))
elapsed = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_SELF)
# ru_maxrss survives fork+exec on Linux (it would report the parent's peak): read VmHWM
peak = usage.ru_maxrss / 1024
status = Path("/proc/self/status")
if status.exists():
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
print(json.dumps({"seconds": elapsed, "links": n, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": peak}))
"""


def _time_child(derived: Path, original: Path, similarity: str, runs: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    cmd = [sys.executable, "-c", _CHILD, str(derived), str(original), similarity]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        wall = time.perf_counter() - start
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["wall"] = wall
        results.append(data)
    return {"wall_s": statistics.median(r["wall"] for r in results),
            "cpu_s": statistics.median(r["cpu"] for r in results),
            "in_process_s": statistics.median(r["seconds"] for r in results),
            "peak_mb": max(r["peak_mb"] for r in results)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from quellenlage.align.core import align_sentences, load_bow_params, load_params
    from quellenlage.evaluation.alignment import (evaluate, load_documents, make_partial,
                                                  partial_prf, remark_pool, score_partial)

    docs = load_documents(args.data / "textberg-de-fr")
    pool = remark_pool(args.data, REMARKS)
    results: dict = {}
    configs = {"embedding": load_params(), "bow": load_bow_params()}
    for setting, drop in (("partial 30-70% dropped", (0.3, 0.7)),
                          ("small part (85-95% dropped)", (0.85, 0.95))):
        cases = [make_partial(docs[0], pool, seed=100 + k, drop=drop) for k in range(args.cases)]
        for name, params in configs.items():
            counts = [score_partial(c, align_sentences(c.derived, c.original, params=params,
                                                       similarity=name)) for c in cases]
            results[(setting, name)] = partial_prf(counts)
    dev = {name: evaluate(args.data / "textberg-de-fr", params=params, similarity=name)
           for name, params in configs.items()}

    case = make_partial(docs[0], pool, seed=7, drop=(0.55, 0.55))
    tmp = Path(tempfile.mkdtemp(prefix="ql-bench-"))
    try:
        derived, original = tmp / "derived.de", tmp / "original.fr"
        derived.write_text("\n".join(case.derived[:60]) + "\n", encoding="utf-8")
        original.write_text("\n".join(case.original[:200]) + "\n", encoding="utf-8")
        sizes = (min(60, len(case.derived)), min(200, len(case.original)))
        speed = {name: _time_child(derived, original, name, args.runs)
                 for name in ("embedding", "full", "bow")}
    finally:
        shutil.rmtree(tmp)

    print(f"quellenlage compare benchmark ({len(pool)} remark sentences; "
          f"{args.cases} cases per setting)\n")
    print(f"{'setting':30} {'similarity':10} {'added P':>8} {'added R':>8} {'left P':>8} "
          f"{'left R':>8}")
    for (setting, name), r in results.items():
        print(f"{setting:30} {name:10} {r['added']['precision']:8.3f} {r['added']['recall']:8.3f} "
              f"{r['left_out']['precision']:8.3f} {r['left_out']['recall']:8.3f}")
    print(f"\n{'Text+Berg dev':30} {'similarity':10} {'strict P':>8} {'strict R':>8} "
          f"{'strict F1':>9} {'lax F1':>8}")
    for name, r in dev.items():
        print(f"{'':30} {name:10} {r['strict']['precision']:8.3f} {r['strict']['recall']:8.3f} "
              f"{r['strict']['f1']:9.3f} {r['lax']['f1']:8.3f}")
    print(f"\nspeed: {sizes[0]} derived vs {sizes[1]} original sentences, one core, fresh process "
          f"(imports + model load included), median of {args.runs}")
    labels = {"embedding": "embedding DP", "full": "embedding DP + flags (align_texts)",
              "bow": "bag-of-words DP"}
    for name, r in speed.items():
        print(f"  {labels[name]:38} wall {r['wall_s']:6.2f} s   CPU {r['cpu_s']:6.2f} s   "
              f"in-process {r['in_process_s']:6.2f} s   peak {r['peak_mb']:6.0f} MB")
    print("  (wall time counts waiting for the core when other processes share the machine; "
          "CPU time is the process's own user + system time)")
    if args.json:
        out = {"partial": {f"{s} / {n}": v for (s, n), v in results.items()}, "dev": dev,
               "speed": speed, "speed_sizes": sizes}
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
