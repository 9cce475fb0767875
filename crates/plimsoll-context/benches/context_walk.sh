#!/usr/bin/env bash
# Time plimsoll's build-context walk against `find DIR -type f | wc -l`
# (the floor: one readdir per directory, no stat, no matching) on a
# synthetic 100,000-file tree shaped like a JavaScript monorepo (nested
# node_modules, a .git object store, sources, logs) with a realistic
# .dockerignore; and `plimsoll check` of the tree's Dockerfile with only
# the context rules selected (walk, match, COPY resolution, findings,
# report: the whole command).
#
#   bash crates/plimsoll-context/benches/context_walk.sh [FILES] [RUNS]
#
# Prints the median wall time of RUNS runs (default 5) after one warm-up
# run each, so all numbers are with a warm page cache.
set -euo pipefail

files=${1:-100000}
runs=${2:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
workspace=$(cd "$here/../../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$workspace/target}

cargo build --quiet --release --example walk -p plimsoll-context --manifest-path "$workspace/Cargo.toml"
cargo build --quiet --release -p plimsoll --manifest-path "$workspace/Cargo.toml"
walk=$CARGO_TARGET_DIR/release/examples/walk
plimsoll=$CARGO_TARGET_DIR/release/plimsoll

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$walk" gen "$tmp/ctx" "$files"

now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1000000 }'; }

# median_ms CMD...: run once to warm up, then $runs times; print the median.
median_ms() {
    "$@" >/dev/null
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(now_ms)
        "$@" >/dev/null
        end=$(now_ms)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

count_files() { find "$1" -type f | wc -l; }
# The same floor without the two directories the .dockerignore prunes.
count_pruned() { find "$1" \( -path "$1/node_modules" -o -path "$1/.git" \) -prune -o -type f -print | wc -l; }
check_context() { "$plimsoll" check --no-fail --format json --select PL2,CopyIgnoredFile "$1/Dockerfile"; }

echo "files in tree: $(count_files "$tmp/ctx")   cores: $(nproc)"
echo "find -type f | wc -l          : $(median_ms count_files "$tmp/ctx") ms"
echo "find, node_modules/.git pruned: $(median_ms count_pruned "$tmp/ctx") ms"
echo "plimsoll walk (BuildKit prune): $(median_ms "$walk" "$tmp/ctx") ms"
echo "plimsoll walk (no pruning)    : $(median_ms "$walk" "$tmp/ctx" --no-prune) ms"
echo "plimsoll check (context rules): $(median_ms check_context "$tmp/ctx") ms"
"$walk" "$tmp/ctx"
"$walk" "$tmp/ctx" --no-prune
