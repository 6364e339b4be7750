#!/usr/bin/env bash
# Two versions of stockroom measured in one run, round after round, so that
# the shared machine's noise falls on both alike (docs/BENCHMARKS.md): the
# in-process checkout (`benches/checkout.rs`, batched) and `stockroom load`
# over HTTP (`hot`, 256 clients, group commit) on SQLite and, with
# BENCH_PG_URL set, on PostgreSQL.
#
#   scripts/bench-compare.sh BASE_REV [ROUNDS] [SECONDS]   (default: 5 rounds, 10 s)
#
# BASE_REV is built in a worktree of its own under target/bench-base (or
# give BENCH_BASE_BIN and BENCH_BASE_BENCH, a built `stockroom` and its
# `checkout` bench, to skip that). Prints one line per measurement; the
# medians are what to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base_rev="${1:?usage: scripts/bench-compare.sh BASE_REV [ROUNDS] [SECONDS]}"
rounds="${2:-5}"
seconds="${3:-10}"

newest() { ls -t "$@" 2>/dev/null | grep -v '\.d$' | head -n 1; }

cargo build --release --quiet --bin stockroom --bench checkout
new_bin="$root/target/release/stockroom"
new_bench=$(newest "$root"/target/release/deps/checkout-*)
if [ -z "${BENCH_BASE_BIN:-}" ]; then
  base_dir="$root/target/bench-base"
  [ -d "$base_dir" ] || git worktree add --detach "$base_dir" "$base_rev"
  git -C "$base_dir" checkout --quiet --detach "$base_rev"
  (cd "$base_dir" && cargo build --release --quiet --bin stockroom --bench checkout)
  BENCH_BASE_BIN="$base_dir/target/release/stockroom"
  BENCH_BASE_BENCH=$(newest "$base_dir"/target/release/deps/checkout-*)
fi

modes=(batched)
[ -n "${BENCH_PG_URL:-}" ] && modes+=(pg-batched)
for round in $(seq "$rounds"); do
  for version in base new; do
    if [ "$version" = base ]; then bin=$BENCH_BASE_BIN bench=$BENCH_BASE_BENCH; else bin=$new_bin bench=$new_bench; fi
    rate=$("$bench" 50000 batched | awk '$1 == "batched" { print $3 }')
    echo "round $round $version in-process batched $rate orders/s"
    for mode in "${modes[@]}"; do
      BENCH_BIN="$bin" BENCH_MODES="$mode" BENCH_SCENARIOS=hot \
        scripts/bench-http.sh "$seconds" 256 2>/dev/null | python3 -c "
import json, sys
r = json.loads(sys.stdin.readline()); l = r['latency_ms']
print('round $round $version http $mode hot 256: %.0f orders/s p50 %.1f ms p99 %.1f ms false %d oversold %d leaked %d' % (
    r['orders_per_second'], l['p50'], l['p99'], r['false_rejects'], r['oversold'], r['leaked']))"
    done
  done
done
