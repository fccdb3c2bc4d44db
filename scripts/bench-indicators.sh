#!/usr/bin/env bash
# Indicators at scale: 1,000 daily indicators × 10,000 days = 10 million
# measurements, on SQLite and on PostgreSQL. Every figure is a ratio against a
# reference measured in the same run (machines here are noisy):
#
#   (a) the overview of 50 indicators (status, sparkline): page and API,
#       requests/s and p99 at 32 connections, against the static page;
#   (b) one indicator's detail: page (chart, status, history) and API history;
#   (c) a monthly roll-up over all rows (GET /api/v1/measurement-rollups, all
#       pages), against DuckDB running the same GROUP BY on the same rows;
#   (d) a 1-million-row CSV import (koers import measurements), rows/s against
#       the sqlite3 shell's .import of the same file;
#   and the server's peak resident memory under each load.
#
#   scripts/bench-indicators.sh     # prints Markdown tables for BENCHMARKS.md
#
# Environment: KOERS_BENCH_BACKENDS (default "sqlite postgres"),
# KOERS_BENCH_INDICATORS (1000), KOERS_BENCH_DAYS (10000),
# KOERS_BENCH_SECONDS (10), KOERS_BENCH_PG (postgres://postgres@127.0.0.1:5432),
# KOERS_BENCH_KEEP=1 (keep the temporary folder with the SQLite database).
# The data are made with SQL straight into the database (seeding is not what
# is measured); everything measured goes through Koers itself.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
for tool in wrk sqlite3 psql curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/koers-target}"
cargo build --release --bin koers >&2
bin="$CARGO_TARGET_DIR/release/koers"
backends="${KOERS_BENCH_BACKENDS:-sqlite postgres}"
indicators="${KOERS_BENCH_INDICATORS:-1000}"
days="${KOERS_BENCH_DAYS:-10000}"
seconds="${KOERS_BENCH_SECONDS:-10}"
pg_base="${KOERS_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
connections=32
password="bench-password-2026"
import_indicators=100 # × $days rows = the import file

venv="${KOERS_CACHE:-/root/.cache/koers}/bench-venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
  echo "bench: installing duckdb into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q duckdb
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/koers-bench-XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [[ -n "${KOERS_BENCH_KEEP:-}" ]]; then
    echo "bench: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

today="$(python3 -c 'import datetime; print((datetime.date.today() - datetime.date(1970, 1, 1)).days)')"
first_day=$((today - days + 1))
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# The SQL that seeds one organisation's indicators, targets and values. Only
# the way to count from a to b differs per engine: a recursive CTE on SQLite,
# generate_series on PostgreSQL (SERIES_FROM a SERIES_TO b SERIES_END).
indicator_sql() { # org id, first number, count, code prefix, aggregation
  cat <<SQL
INSERT INTO indicators (organisation_id, code, name, description, perspective, value_unit, min_value,
  max_value, direction, range_low, range_high, frequency, aggregation, baseline_value, baseline_period,
  owner_user_id, responsible_unit_id, data_source, created_at, updated_at, published, dimensions, formula)
SELECT $1, '$4-' || n, 'Benchmark $4 ' || n, '', 'resident', 'count', NULL, NULL, 'higher_is_better',
  NULL, NULL, 'day', '$5', NULL, NULL, NULL, NULL, '', $NOW, $NOW, FALSE, '[]', NULL
FROM ($SERIES_FROM $2 $SERIES_TO $(($2 + $3 - 1)) $SERIES_END) AS s;
SQL
}
seed_sql() { # org id
  indicator_sql "$1" 1000 "$indicators" BENCH mean
  cat <<SQL
INSERT INTO indicator_targets (organisation_id, indicator_id, target_day, value, reason, created_by, created_at)
SELECT $1, id, $((today + 400)), 60, '', NULL, $NOW FROM indicators WHERE organisation_id = $1;
INSERT INTO measurements (organisation_id, indicator_id, period_start, dimension_key, value, note, source,
  recorded_by, recorded_at)
SELECT $1, i.id, $first_day + d.n, '', 40 + ((d.n * 37 + i.id * 11) % 29) + d.n / 1000.0, '', 'import', NULL, $NOW
FROM indicators i, ($SERIES_FROM 0 $SERIES_TO $((days - 1)) $SERIES_END) AS d
WHERE i.organisation_id = $1 AND i.code LIKE 'BENCH-%';
SQL
  # The month totals Koers keeps on write, filled the way migration 0005
  # fills them for existing data.
  sed -n '/^INSERT INTO measurement_months/,$p' "migrations/$ENGINE/0005_measurement_months.sql"
  indicator_sql "$1" 1 "$import_indicators" IMPORT sum
}

sql_sqlite() { # database file, SQL on stdin
  sqlite3 -bail "$1"
}
sql_postgres() { # url, SQL on stdin
  psql -q -v ON_ERROR_STOP=1 "$1" >/dev/null
}

prepare() { # backend → sets url
  local backend="$1"
  if [[ "$backend" == sqlite ]]; then
    url="sqlite://$tmp/bench.db"
    rm -f "$tmp"/bench.db*
  else
    psql -q "$pg_base/postgres" -c 'DROP DATABASE IF EXISTS koers_bench' -c 'CREATE DATABASE koers_bench' >/dev/null
    url="$pg_base/koers_bench"
  fi
  "$bin" migrate --database "$url" >/dev/null
  "$bin" org create --name "Gemeente Meetstad" --slug meetstad --database "$url" >/dev/null
  echo "$password" | "$bin" user create --org meetstad --email bench@meetstad.example --name Bench \
    --role admin --password-stdin --database "$url" >/dev/null
  local started=$SECONDS
  if [[ "$backend" == sqlite ]]; then
    local org
    org="$(sqlite3 "$tmp/bench.db" "SELECT id FROM organisations WHERE slug = 'meetstad'")"
    ENGINE=sqlite NOW="'$now'" SERIES_FROM="WITH RECURSIVE c(n) AS (SELECT" SERIES_TO="UNION ALL SELECT n + 1 FROM c WHERE n <" \
      SERIES_END=") SELECT n FROM c" seed_sql "$org" | sql_sqlite "$tmp/bench.db"
    sqlite3 "$tmp/bench.db" 'ANALYZE;'
  else
    local org
    org="$(psql -tA "$url" -c "SELECT id FROM organisations WHERE slug = 'meetstad'")"
    ENGINE=postgres NOW="now()" SERIES_FROM="SELECT generate_series(" SERIES_TO="," SERIES_END=") AS n" \
      seed_sql "$org" | sql_postgres "$url"
    psql -q "$url" -c 'VACUUM ANALYZE' >/dev/null
  fi
  echo "bench: $backend seeded with $((indicators * days)) measurements in $((SECONDS - started)) s" >&2
}

start_server() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  RUST_LOG=warn "$bin" serve --database "$url" --listen "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  until curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
  local jar="$tmp/cookies" page csrf
  rm -f "$jar"
  page="$(curl -fsS -c "$jar" "$base/login")"
  csrf="$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n1)"
  curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "email=bench@meetstad.example" --data-urlencode "password=$password" "$base/login"
  session="$(awk '$6 == "koers_session" { print $7 }' "$jar")"
  token="$("$bin" token create --access write --org meetstad --user bench@meetstad.example --name bench --database "$url")"
  detail_id="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/indicators?page_size=1&search=BENCH-$((1000 + indicators / 2))" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')"
}

stop_server() {
  kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

peak_rss_mb() { # pid: samples until the file $tmp/stop exists
  local peak=0 rss
  while [[ ! -e "$tmp/stop" ]]; do
    rss="$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ')"
    [[ -n "$rss" && "$rss" -gt "$peak" ]] && peak="$rss"
    sleep 0.2
  done
  echo $((peak / 1024))
}

load() { # name, path, header...
  local name="$1" path="$2" out rps p99 mem
  shift 2
  rm -f "$tmp/stop"
  peak_rss_mb "$server_pid" >"$tmp/rss" &
  local sampler=$!
  out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$base$path")"
  touch "$tmp/stop"
  wait "$sampler"
  mem="$(cat "$tmp/rss")"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  if grep -q "Non-2xx" <<<"$out"; then
    echo "bench: $path answered errors: $(grep Non-2xx <<<"$out")" >&2
    exit 1
  fi
  echo "$name|$rps|$p99|$mem"
}

rollup_seconds() { # the whole roll-up, page by page; best of three
  local best="" total t page
  for _ in 1 2 3; do
    total=0
    for page in $(seq 1 $(((indicators + import_indicators + 99) / 100))); do
      t="$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" \
        "$base/api/v1/measurement-rollups?frequency=month&page_size=100&page=$page")"
      total="$(python3 -c "print($total + $t)")"
    done
    best="$(python3 -c "print(min(x for x in [$total, ${best:-$total}]))")"
  done
  echo "$best"
}

duckdb_seconds() { # the same GROUP BY over the same rows in DuckDB; best of three
  "$venv/bin/python" - "$1" <<'PY'
import sys, time, duckdb
con = duckdb.connect()
con.execute(f"CREATE TABLE m AS SELECT * FROM read_csv('{sys.argv[1]}', header=true, columns={{'indicator_id': 'BIGINT', 'period_start': 'BIGINT', 'value': 'DOUBLE'}})")
query = """SELECT indicator_id, strftime(DATE '1970-01-01' + CAST(period_start AS INTEGER), '%Y-%m') AS month,
  SUM(value), AVG(value), arg_max(value, period_start), COUNT(*) FROM m GROUP BY ALL"""
best = None
for _ in range(3):
    start = time.perf_counter()
    rows = con.execute(query).fetchall()
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(f"{best:.3f} {len(rows)}")
PY
}

# The import file: 100 daily counts × $days days, Dutch style (";").
import_file="$tmp/import.csv"
python3 - "$import_file" "$import_indicators" "$days" "$first_day" <<'PY'
import datetime, sys
path, count, days, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
epoch = datetime.date(1970, 1, 1)
labels = [(epoch + datetime.timedelta(days=first + d)).isoformat() for d in range(days)]
with open(path, "w") as out:
    out.write("indicator;periode;waarde\n")
    for i in range(1, count + 1):
        for d, label in enumerate(labels):
            out.write(f"IMPORT-{i};{label};{(d * 7 + i) % 500}\n")
PY
rows="$(($(wc -l <"$import_file") - 1))"

reference_import_seconds() { # sqlite3 shell .import of the same file; best of three
  local best="" t
  for _ in 1 2 3; do
    rm -f "$tmp/reference.db"
    t="$( { /usr/bin/time -f '%e' sqlite3 "$tmp/reference.db" -cmd '.mode csv' -cmd '.separator ;' \
      ".import $import_file reference" ; } 2>&1 | tail -n1)"
    best="$(python3 -c "print(min(x for x in [$t, ${best:-$t}]))")"
  done
  echo "$best"
}
reference_import="$(reference_import_seconds)"

echo
echo "Run of $(date -u +%Y-%m-%d) (commit $(git rev-parse --short HEAD)): $indicators indicators × $days days"
echo "= $((indicators * days)) measurements; $connections connections, ${seconds}s per load."
for backend in $backends; do
  prepare "$backend"
  start_server
  results=()
  results+=("$(load 'static page `/toegankelijkheid` (reference)' /toegankelijkheid)")
  results+=("$(load 'overview page, 50 indicators `/indicators?page_size=50`' '/indicators?page_size=50' -H "Cookie: koers_session=$session")")
  results+=("$(load 'overview API, 50 indicators `/api/v1/indicators?page_size=50`' '/api/v1/indicators?page_size=50' -H "Authorization: Bearer $token")")
  results+=("$(load 'detail page `/indicators/{id}` (chart, status, history)' "/indicators/$detail_id" -H "Cookie: koers_session=$session")")
  results+=("$(load 'detail API `/api/v1/indicators/{id}/measurements?page_size=100`' "/api/v1/indicators/$detail_id/measurements?page_size=100" -H "Authorization: Bearer $token")")
  rollup="$(rollup_seconds)"
  stop_server

  if [[ "$backend" == sqlite ]]; then
    sqlite3 -csv -header "$tmp/bench.db" \
      "SELECT indicator_id, period_start, value FROM measurements WHERE dimension_key = ''" >"$tmp/rows.csv"
  else
    psql -q "$url" -c "\\copy (SELECT indicator_id, period_start, value FROM measurements WHERE dimension_key = '') TO '$tmp/rows.csv' CSV HEADER"
  fi
  read -r duck duck_rows < <(duckdb_seconds "$tmp/rows.csv")
  rm -f "$tmp/rows.csv"

  import_started="$(date +%s.%N)"
  /usr/bin/time -f '%M' -o "$tmp/import-rss" "$bin" import measurements "$import_file" --org meetstad --database "$url" >"$tmp/import.log"
  import_seconds="$(python3 -c "import time; print(round(time.time() - $import_started, 3))")"
  import_rss=$(($(cat "$tmp/import-rss") / 1024))

  static_rps="$(cut -d'|' -f2 <<<"${results[0]}")"
  echo
  echo "### $backend"
  echo
  echo "| load | requests/s | ratio to static | p99 | server peak RSS |"
  echo "|---|---:|---:|---:|---:|"
  for line in "${results[@]}"; do
    IFS='|' read -r name rps p99 mem <<<"$line"
    ratio="$(python3 -c "print(f'{100 * $rps / $static_rps:.1f}%')")"
    echo "| $name | $rps | $ratio | $p99 | $mem MB |"
  done
  echo
  echo "| work | Koers | reference | ratio |"
  echo "|---|---:|---:|---:|"
  echo "| monthly roll-up of $((indicators * days)) rows ($duck_rows indicator-months), s | $rollup | DuckDB $duck | $(python3 -c "print(f'{$rollup / $duck:.1f}×')") |"
  echo "| import of $rows CSV rows, s (rows/s) | $import_seconds ($(python3 -c "print(round($rows / $import_seconds))")) | sqlite3 .import $reference_import ($(python3 -c "print(round($rows / $reference_import))")) | $(python3 -c "print(f'{$import_seconds / $reference_import:.1f}×')") |"
  echo
  echo "Import: $(tail -n1 "$tmp/import.log"); peak RSS of the import command $import_rss MB."
  if [[ "$backend" == postgres ]]; then
    psql -q "$pg_base/postgres" -c 'DROP DATABASE IF EXISTS koers_bench' >/dev/null
  fi
done
