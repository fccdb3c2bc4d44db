#!/usr/bin/env bash
# Soak test: many people of several organisations use Koers at once for ten
# minutes (page views, API reads and writes), on loopback. Fails on any
# answer that is not a success, any ERROR in the server log, or resident
# memory that keeps growing after the warm-up. Prints a Markdown block for
# BENCHMARKS.md, with throughput as a ratio against the static page measured
# just before and after (machines here are noisy).
#
#   scripts/soak.sh                       # builds the release binary, runs ~12 minutes
#   KOERS_BIN=path/to/koers scripts/soak.sh   # uses that binary, builds nothing
#
# Environment: KOERS_SOAK_SECONDS (default 600), KOERS_SOAK_CONNECTIONS
# (default 32), KOERS_SOAK_ORGS (organisations, 1–5, default 4),
# KOERS_SOAK_USERS (people per organisation, 4–10, default 8),
# KOERS_SOAK_REFERENCE_SECONDS (each reference run, default 10).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v wrk >/dev/null || { echo "soak: install wrk (apt-get install wrk)" >&2; exit 1; }

if [[ -z "${KOERS_BIN:-}" ]]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/koers-target}"
  cargo build --release --bin koers >&2
  KOERS_BIN="$CARGO_TARGET_DIR/release/koers"
fi
export KOERS_BIN
seconds="${KOERS_SOAK_SECONDS:-600}"
connections="${KOERS_SOAK_CONNECTIONS:-32}"
organisations="${KOERS_SOAK_ORGS:-4}"
people="${KOERS_SOAK_USERS:-8}"
reference_seconds="${KOERS_SOAK_REFERENCE_SECONDS:-10}"
for n in "$seconds" "$connections" "$organisations" "$people" "$reference_seconds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "soak: '$n' is not a positive whole number" >&2; exit 1; }
done
(( organisations <= 5 )) || { echo "soak: at most 5 organisations" >&2; exit 1; }
# Every organisation needs its admin, someone who records figures, an
# employee and a viewer (see roles below).
(( people >= 4 && people <= 10 )) || { echo "soak: 4 to 10 people per organisation" >&2; exit 1; }
case "$KOERS_BIN" in
  */debug/*) build=debug ;;
  */release/*) build=release ;;
  *) build="$KOERS_BIN" ;;
esac

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
sampler_pid=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [[ -n "$sampler_pid" ]]; then
    kill "$sampler_pid" 2>/dev/null || true
    wait "$sampler_pid" 2>/dev/null || true
  fi
  koers_stop_server
}
trap cleanup EXIT
# Warnings and errors only: ten minutes of access log would fill the disk,
# and the ERROR lines are what the run is judged on.
export RUST_LOG=warn
koers_start_server
work="$KOERS_TMP/soak"
mkdir -p "$work"

# Organisations: the demo one, and copies of it made the way an operator
# moves one (backup, restore under a new slug), while the server runs.
slugs=(voorbeeldstad noordwaard zuiderveen oostmeer westerkwartier)
slugs=("${slugs[@]:0:organisations}")
"$KOERS_BIN" backup --org voorbeeldstad "$work/demo.json" --database "$KOERS_DB" >/dev/null
for slug in "${slugs[@]:1}"; do
  "$KOERS_BIN" restore "$work/demo.json" --slug "$slug" --database "$KOERS_DB" >/dev/null
done

# People: new accounts, one organisation each, so every session and token
# belongs to exactly one organisation. The first four roles cover every kind
# of request in the mix; more people repeat the common roles.
roles=(admin programme_lead employee viewer unit_lead employee programme_lead employee viewer employee)
password="soak-$RANDOM$RANDOM-koers"
: >"$work/people.tsv"
echo "soak: making ${#slugs[@]} organisations × $people people" >&2
for slug in "${slugs[@]}"; do
  for n in $(seq 1 "$people"); do
    role="${roles[n - 1]}"
    email="soak$n@$slug.example"
    access="write"
    [[ "$role" == viewer ]] && access="read"
    "$KOERS_BIN" user create --email "$email" --name "Soak $n" --org "$slug" --role "$role" \
      --password-stdin --database "$KOERS_DB" <<<"$password" >/dev/null
    token="$("$KOERS_BIN" token create --org "$slug" --user "$email" --access "$access" \
      --name soak --database "$KOERS_DB")"
    printf '%s\t%s\t%s\t%s\n' "$slug" "$email" "$role" "$token" >>"$work/people.tsv"
  done
done

# Sessions, real ids and the request list; every request tried once. The
# time limit keeps a server that stopped answering from holding the run.
PORT="$KOERS_PORT" KOERS_SOAK_PASSWORD="$password" timeout 900 \
  python3 "$root/scripts/lib/soak_setup.py" "$work/people.tsv" "$work/requests.tsv" "$work/setup.json"

reference() { # output file
  wrk -t2 -c"$connections" -d"${reference_seconds}s" --latency "$KOERS_URL/toegankelijkheid" >"$1"
}

# Resident memory every 5 s, as "seconds-since-start KiB".
sample_memory() {
  local start=$SECONDS rss
  while rss="$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$KOERS_PID/status" 2>/dev/null)" \
    && [[ -n "$rss" ]]; do
    echo "$((SECONDS - start)) $rss"
    sleep 5
  done
}

echo "soak: reference run before" >&2
reference "$work/reference-before.txt"
echo "soak: $seconds s with $connections connections" >&2
sample_memory >"$work/rss.txt" &
sampler_pid=$!
# A request slower than 5 s counts as an error (wrk's timeout).
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s --latency \
  -s "$root/scripts/lib/soak.lua" "$KOERS_URL" -- "$work/requests.tsv" 2 >"$work/soak.txt"
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=
kill -0 "$KOERS_PID" 2>/dev/null || { echo "soak: the server died during the run" >&2; koers_server_log_tail 40; exit 1; }
echo "soak: reference run after" >&2
reference "$work/reference-after.txt"

log_errors="$(sed 's/\x1b\[[0-9;]*m//g' "$KOERS_LOG" | grep -c ERROR || true)"
koers_server_log_problems 30
command="KOERS_SOAK_SECONDS=$seconds KOERS_SOAK_CONNECTIONS=$connections KOERS_SOAK_ORGS=$organisations KOERS_SOAK_USERS=$people scripts/soak.sh"
run="$(date -u +%F), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git status --porcelain 2>/dev/null)" ]] || run="$run with uncommitted changes"
status=0
python3 "$root/scripts/lib/soak_report.py" "$work" "$seconds" "$connections" "$command" \
  "$log_errors" "$build" "$run" || status=$?
if (( status != 0 )); then
  echo "soak: failed; wrk's output follows" >&2
  cat "$work/soak.txt" >&2
fi
exit "$status"
