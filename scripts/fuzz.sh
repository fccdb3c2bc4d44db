#!/usr/bin/env bash
# Fuzzes every parser of user input with libFuzzer (cargo-fuzz, on the
# machine's nightly toolchain), each target for a bounded time, and fails
# on the first panic, timeout or memory blow-up. Targets live in fuzz/:
# spreadsheet (CSV and XLSX uploads), archive (backup files), markdown
# (programme visions), formula (indicator formulas), effects (the effect
# estimator's series). Not part of .ci/run: the instrumented release build
# of the whole product takes longer than CI can spare.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   KOERS_FUZZ_SECONDS=600 scripts/fuzz.sh markdown
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
seconds="${KOERS_FUZZ_SECONDS:-60}"
work="${KOERS_FUZZ_WORK:-/root/.cache/koers-fuzz}"
export CARGO_TARGET_DIR="${KOERS_FUZZ_TARGET_DIR:-/root/.cache/koers-fuzz-target}"

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz --version 0.13.2
# No sanitizer: the product forbids unsafe code, and what we look for is
# panics, hangs and unbounded memory, which libFuzzer catches itself.
cargo +nightly fuzz build -O --sanitizer none

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(cargo +nightly fuzz list)
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  mkdir -p "$corpus" "$work/artifacts/$target"
  printf '\n=== %s (%ss)\n' "$target" "$seconds"
  # The committed seeds are read; new inputs go to the corpus outside the
  # clone, so later runs start where this one stopped.
  log="$work/$target.log"
  if cargo +nightly fuzz run -O --sanitizer none "$target" "$corpus" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len=65536 -artifact_prefix="$work/artifacts/$target/" -print_final_stats=1 \
    >"$log" 2>&1; then
    status=0
  else
    status=$?
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )|panicked|SUMMARY|ERROR' "$log" || true
  if [[ $status -ne 0 ]]; then
    echo "fuzz target $target failed (exit $status); the input is in $work/artifacts/$target/" >&2
    exit "$status"
  fi
done
echo "every target ran ${seconds}s without a failure"
