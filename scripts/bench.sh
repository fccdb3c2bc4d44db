#!/usr/bin/env bash
# Throughput and p99 latency of Koers on loopback, as ratios against a page
# that needs no database, measured in the same run (machines here are noisy).
#
#   scripts/bench.sh            # builds the release binary, runs wrk, prints a Markdown table
#
# Environment: KOERS_BENCH_SECONDS (default 10), KOERS_BENCH_CONNECTIONS
# (default 64), KOERS_BENCH_ROUNDS (default 3; rounds alternate the targets).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/koers-target}"
cargo build --release --bin koers >&2
export KOERS_BIN="$CARGO_TARGET_DIR/release/koers"
seconds="${KOERS_BENCH_SECONDS:-10}"
connections="${KOERS_BENCH_CONNECTIONS:-64}"
rounds="${KOERS_BENCH_ROUNDS:-3}"

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
trap koers_stop_server EXIT
export RUST_LOG=warn
koers_start_server

# A browser session for the admin: pre-login CSRF cookie, then the form.
jar="$KOERS_TMP/cookies"
page="$(curl -fsS -c "$jar" "$KOERS_URL/login")"
csrf="$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n1)"
curl -fsS -o /dev/null -b "$jar" -c "$jar" \
  --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "email=admin@voorbeeldstad.example" \
  --data-urlencode "password=demo-koers-2026" "$KOERS_URL/login"
session="$(awk '$6 == "koers_session" { print $7 }' "$jar")"
[[ -n "$session" ]] || { echo "bench: login failed" >&2; exit 1; }
token="$("$KOERS_BIN" token create --access write --org voorbeeldstad --user admin@voorbeeldstad.example --name bench --database "$KOERS_DB")"

# Check each target answers 200 with its credentials.
check() { # path, curl arguments...
  local path="$1" code
  shift
  code="$(curl -s -o /dev/null -w '%{http_code}' "$@" "$KOERS_URL$path")"
  [[ "$code" == 200 ]] || { echo "bench: $path answered $code" >&2; exit 1; }
}
check /toegankelijkheid
check /units -H "Cookie: koers_session=$session"
check /api/v1/units -H "Authorization: Bearer $token"

run() { # name, path, header...
  local name="$1" path="$2"
  shift 2
  local out rps p99
  out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$KOERS_URL$path")"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  echo "$name $rps $p99"
}

results="$KOERS_TMP/results"
: >"$results"
for round in $(seq 1 "$rounds"); do
  echo "bench: round $round of $rounds" >&2
  run static /toegankelijkheid >>"$results"
  run page /units -H "Cookie: koers_session=$session" >>"$results"
  run api /api/v1/units -H "Authorization: Bearer $token" >>"$results"
done

python3 - "$results" "$connections" "$seconds" "$rounds" <<'PY'
import sys, statistics
path, connections, seconds, rounds = sys.argv[1:]
def ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)
rows = [line.split() for line in open(path)]
by = {}
for name, rps, p99 in rows:
    by.setdefault(name, []).append((float(rps), ms(p99)))
static = statistics.median(r for r, _ in by["static"])
label = {
    "static": "`/toegankelijkheid` (HTML, no database): reference",
    "page": "`/units` (authenticated HTML: session lookup + unit tree)",
    "api": "`/api/v1/units` (bearer token: token lookup + first page of units)",
}
print(f"wrk -t2 -c{connections} -d{seconds}s --latency, {rounds} alternating rounds, medians")
print()
print("| target | requests/s | ratio to reference | p99 latency |")
print("|---|---:|---:|---:|")
for name in ("static", "page", "api"):
    rps = statistics.median(r for r, _ in by[name])
    p99 = statistics.median(p for _, p in by[name])
    print(f"| {label[name]} | {rps:,.0f} | {rps / static:.0%} | {p99:.1f} ms |")
PY
