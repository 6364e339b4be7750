#!/usr/bin/env bash
# The HTTP checkout benchmarks of docs/BENCHMARKS.md: for each checkout mode
# (single: one commit per order; batched: group commit), a fresh SQLite
# server on 127.0.0.1 and `stockroom load` against it, one scenario after
# the other, in one run so the ratios compare like with like.
#
#   scripts/bench-http.sh [SECONDS] [CLIENTS...]     (default: 10 s, 100 and 1000 clients)
#
# With BENCH_PG_URL=postgres://postgres@127.0.0.1:5432 set, PostgreSQL runs
# too (modes `pg-single`: one transaction per order, and `pg-batched`: group
# commit), each run on a fresh database (`stockroom_bench`, or BENCH_PG_DB)
# that the script drops and creates. BENCH_MODES and BENCH_SCENARIOS (space-separated) pick
# fewer, e.g. BENCH_MODES="pg-single pg-batched" BENCH_SCENARIOS=hot; a mode
# named twice runs twice. BENCH_KEYS=1 sends an Idempotency-Key with every
# checkout, as the storefront does. BENCH_BIN runs another build of stockroom
# (e.g. the previous version's, to compare two versions in one run) instead
# of building this one. A mode with `+webhook` (e.g. `batched+webhook`)
# runs the same with a webhook for every event type to a port nobody
# listens on (127.0.0.1:9): the outbox's worker retries every delivery
# beside the checkout, which is what the receivers-down benchmark measures.
#
# Prints one JSON report per line to stdout and a summary table to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"; shift || true

[ "$#" -gt 0 ] && clients=("$@") || clients=(100 1000)
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
else
  cargo build --release --quiet
  bin=target/release/stockroom
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18600
printf '%-8s %-10s %7s %10s %8s %8s %6s %6s %6s %8s\n' mode scenario clients orders/s p50_ms p99_ms false oversold leaked rss_mb >&2
modes=(single batched)
[ -n "${BENCH_PG_URL:-}" ] && modes+=(pg-single pg-batched)
[ -n "${BENCH_MODES:-}" ] && read -r -a modes <<< "$BENCH_MODES"
read -r -a scenarios <<< "${BENCH_SCENARIOS:-hot hot-multi spread}"
for mode in "${modes[@]}"; do
  for scenario in "${scenarios[@]}"; do
    for n in "${clients[@]}"; do
      port=$((port + 1))
      base_mode=${mode%+webhook}; webhook=()
      [ "$base_mode" != "$mode" ] && webhook=(--webhook "http://127.0.0.1:9/in")
      if [[ "$base_mode" == pg-* ]]; then
        db=${BENCH_PG_DB:-stockroom_bench}
        psql "$BENCH_PG_URL/postgres" -q -c "drop database if exists $db" -c "create database $db"
        url="$BENCH_PG_URL/$db"; checkout_mode=${base_mode#pg-}
      else
        url="sqlite://$work/$base_mode-$scenario-$n-$port.db"; checkout_mode=$base_mode
      fi
      token=$($bin admin create bench --database-url "$url" | tail -n 1)
      # --rate-limit-per-second 0: every load client is 127.0.0.1.
      RUST_LOG=warn $bin serve --bench --checkout-mode "$checkout_mode" --database-url "$url" \
        --listen "127.0.0.1:$port" --rate-limit-per-second 0 --webhook-allow-private > "$work/serve.log" 2>&1 &
      server=$!
      for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
      # The token in the environment, not on the command line, where `ps` shows it.
      report=$(STOCKROOM_ADMIN_TOKEN="$token" $bin load --url "http://127.0.0.1:$port" --scenario "$scenario" \
        --clients "$n" --duration "$seconds" ${BENCH_KEYS:+--idempotency-keys} "${webhook[@]}" --json)
      rss_kb=$(ps -o rss= -p "$server" | tr -d ' ')
      kill "$server"; wait "$server" 2>/dev/null || true
      echo "$report" | python3 -c "import json,sys; r=json.load(sys.stdin); r['mode']='$mode'; r['rss_mb']=round($rss_kb/1024); print(json.dumps(r))"
      echo "$report" | python3 -c "
import json,sys; r=json.load(sys.stdin); l=r['latency_ms']
print('%-8s %-10s %7d %10.0f %8.1f %8.1f %6d %6d %6d %8d' % ('$mode', r['scenario'], r['clients'], r['orders_per_second'], l['p50'], l['p99'], r['false_rejects'], r['oversold'], r['leaked'], round($rss_kb/1024)))" >&2
    done
  done
done
