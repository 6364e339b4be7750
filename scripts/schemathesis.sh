#!/usr/bin/env bash
# Fuzzes the HTTP API from its own OpenAPI document (`/api/openapi.json`)
# with schemathesis: a fresh server on 127.0.0.1 with the demo shop in a
# temporary SQLite database, every operation sent generated valid and
# invalid requests (the admin token where an operation asks for it), then
# chains of calls that follow the document's links (the stateful phase),
# and four checks on each answer: no 5xx but 503, a documented status, a
# documented content type, a body that fits its documented schema. Exits
# non-zero when a check fails.
#
#   scripts/schemathesis.sh [extra `st run` arguments...]
#
# Settings (environment):
#   STOCKROOM_SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase, and
#                                        scenarios of the stateful phase (default 40)
#   STOCKROOM_SCHEMATHESIS_TIMEOUT_S     hard limit on the whole run, in seconds (default 300)
#   STOCKROOM_SCHEMATHESIS_SEED          a seed, to replay a run (default: a random one, printed)
#   STOCKROOM_SCHEMATHESIS_PROFILE       `debug` (default) or `release` binary
#   STOCKROOM_SCHEMATHESIS_VENV          where schemathesis is installed (default target/schemathesis-venv)
#
# schemathesis runs in target/schemathesis/: its report (JUnit XML) goes to
# report/ there, and its cache (.schemathesis/), which replays the examples
# that failed last time first, stays there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Pinned: a new schemathesis may add checks or change what they accept.
schemathesis_version=4.32.5
max_examples="${STOCKROOM_SCHEMATHESIS_MAX_EXAMPLES:-40}"
timeout_s="${STOCKROOM_SCHEMATHESIS_TIMEOUT_S:-300}"
profile="${STOCKROOM_SCHEMATHESIS_PROFILE:-debug}"
venv="${STOCKROOM_SCHEMATHESIS_VENV:-target/schemathesis-venv}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

# schemathesis, in its own virtual environment, from PyPI.
if [ "$("$venv/bin/st" --version 2>/dev/null)" != "st, version $schemathesis_version" ]; then
  echo "== installing schemathesis $schemathesis_version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

echo "== building the $profile binary"
if [ "$profile" = release ]; then
  cargo build --locked --release --bin stockroom
else
  cargo build --locked --bin stockroom
fi
bin="$target_dir/$profile/stockroom"

work=$(mktemp -d)
server=""
# Whatever happens (a failed check, Ctrl-C, the timeout), the server stops
# and its database goes.
stop() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

serve_args=(serve --demo --database-url "sqlite://$work/schemathesis.db" --listen 127.0.0.1:0)
# Fuzzing sends hundreds of requests a second from one address: no rate limit.
if "$bin" serve --help | grep -q -- '--rate-limit-per-second'; then
  serve_args+=(--rate-limit-per-second 0)
fi
RUST_LOG="${RUST_LOG:-warn}" "$bin" "${serve_args[@]}" >"$work/serve.out" 2>"$work/serve.err" &
server=$!

# The port is the one the system gave; the token is the demo admin's.
address="" token=""
for _ in $(seq 300); do
  address=$(sed -n 's|^stockroom is serving on http://\(.*\)$|\1|p' "$work/serve.out")
  token=$(sed -n 's|^  demo API token: \(.*\)$|\1|p' "$work/serve.out")
  [ -n "$address" ] && [ -n "$token" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "stockroom serve exited:" >&2; cat "$work/serve.err" >&2; exit 1
  fi
  sleep 0.1
done
if [ -z "$address" ] || [ -z "$token" ]; then
  echo "stockroom serve did not start within 30 s" >&2; cat "$work/serve.err" >&2; exit 1
fi
"$venv/bin/python" - "http://$address/healthz" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=1).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("stockroom did not answer /healthz within 10 s")
PY
echo "== stockroom serving on http://$address; schemathesis $schemathesis_version, $max_examples examples per operation"

seed_args=()
[ -n "${STOCKROOM_SCHEMATHESIS_SEED:-}" ] && seed_args=(--seed "$STOCKROOM_SCHEMATHESIS_SEED")
status=0
st_dir="$target_dir/schemathesis"
mkdir -p "$st_dir"
venv=$(cd "$venv" && pwd)
# The admin token goes only to the operations that ask for it (the config
# file's `[auth.openapi.admin_token]`), not as a header on every request:
# a header given on the command line would overwrite the order token that
# the stateful phase takes from a checkout's answer to read that order.
export STOCKROOM_SCHEMATHESIS_ADMIN_TOKEN="$token"
(cd "$st_dir" && timeout --signal=INT --kill-after=10 "$timeout_s" \
  "$venv/bin/st" --config-file "$root/scripts/schemathesis.toml" run "http://$address/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$max_examples" \
  --phases examples,coverage,fuzzing,stateful \
  --request-timeout 10 \
  --report junit,ndjson --report-dir report \
  "${seed_args[@]}" "$@") || status=$?
if [ "$status" -eq 124 ]; then
  echo "schemathesis did not finish within $timeout_s s" >&2
fi
# Requests per operation and the statuses they got, from the newest report:
# the figures of docs/RELIABILITY.md. The stateful phase's requests count
# under their own operation. "Valid" requests are those schemathesis made
# to fit the document (its positive mode); the rest are made to break it.
report=$(ls -t "$st_dir"/report/ndjson-*.ndjson 2>/dev/null | head -n 1)
if [ -n "$report" ]; then
  "$venv/bin/python" - "$report" <<'PY'
import collections, json, sys
every = collections.defaultdict(collections.Counter)
valid = collections.defaultdict(collections.Counter)
by_link = collections.defaultdict(collections.Counter)
for line in open(sys.argv[1]):
    event = json.loads(line).get("ScenarioFinished")
    if not event:
        continue
    recorder = event["recorder"]
    for case_id, interaction in recorder.get("interactions", {}).items():
        case = recorder.get("cases", {}).get(case_id, {}).get("value", {})
        meta = case.get("meta") or {}
        stateful = (meta.get("phase") or {}).get("name") == "stateful"
        label = f"{case['method']} {case['path']}" if stateful else recorder["label"]
        status = (interaction.get("response") or {}).get("status_code", "no answer")
        every[label][status] += 1
        if (meta.get("generation") or {}).get("mode") == "positive":
            valid[label][status] += 1
        if stateful:
            by_link[label][status] += 1

def show(title, requests):
    print(title)
    for label in sorted(requests, key=lambda l: l.split(" ", 1)[::-1]):
        statuses = requests[label]
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))
        print(f"{sum(statuses.values()):6d}  {label}  ({shown})")
    print(f"{sum(sum(c.values()) for c in requests.values()):6d}  in all")

show("== requests per operation (status: count)", every)
show("== of which valid by the document", valid)
show("== of which in the stateful phase (calls chained by the document's links)", by_link)
PY
fi
# A 5xx is logged by the server once, where it happens: show it.
if grep -q ERROR "$work/serve.err"; then
  echo "== errors logged by the server:" >&2
  grep ERROR "$work/serve.err" | head -n 20 >&2
fi
exit "$status"
