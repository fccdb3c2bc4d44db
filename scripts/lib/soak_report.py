"""Judges a soak run of scripts/soak.sh and prints it as Markdown for
BENCHMARKS.md. Exits 1 when the run failed: any error, or memory that grew
after the warm-up.

    python3 soak_report.py WORK_DIR SECONDS CONNECTIONS COMMAND LOG_ERRORS BUILD RUN

WORK_DIR holds reference-before.txt, soak.txt and reference-after.txt (wrk
output), rss.txt ("seconds KiB" per sample) and setup.json (the mix).
"""

import json
import os
import re
import statistics
import sys

# Memory counts as flat when the highest resident size in the last quarter
# of the run is at most this much above the highest in the second half of
# the warm-up. The first half is left out because it still carries the
# set-up's and the reference run's transient peaks, which the allocator may
# or may not have handed back yet; they would hide a leak of that size. An
# absolute floor, because allocator arenas and SQLite's page cache settle in
# steps of a few MiB that say nothing about a leak; a share, because the
# same steps are larger on a larger heap. At 400 requests/s a leak of 100
# bytes per request adds about 18 MiB between the end of the warm-up and the
# end of a ten-minute run, which fails it.
GROWTH_SHARE = 0.10
GROWTH_FLOOR_KIB = 8 * 1024
WARMUP_SHARE = 0.20
WARMUP_MIN_SECONDS = 30


def ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def wrk(path):
    """Requests/s, latency percentiles in ms and the soak.lua line, if any."""
    text = open(path).read()
    duration = re.search(r"^Running (\S+) test", text, re.M).group(1)
    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
    total = int(re.search(r"^\s+(\d+) requests in", text, re.M).group(1))
    pct = {int(p): ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
    result = None
    found = re.search(r"^soak-result (.*)$", text, re.M)
    if found:
        result = dict(field.split("=", 1) for field in found.group(1).split())
    return {"duration": duration, "rps": rps, "total": total, "pct": pct, "result": result}


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def main():
    work, seconds, connections, command, log_errors, build, run = sys.argv[1:8]
    seconds, log_errors = int(seconds), int(log_errors)
    setup = json.load(open(os.path.join(work, "setup.json")))
    before = wrk(os.path.join(work, "reference-before.txt"))
    soak = wrk(os.path.join(work, "soak.txt"))
    after = wrk(os.path.join(work, "reference-after.txt"))
    reference = statistics.median([before["rps"], after["rps"]])

    result = soak["result"] or {}
    failed = int(result.get("failed", "-1"))
    socket = sum(int(result.get(k, "0")) for k in ("connect", "read", "write", "timeout"))
    statuses = result.get("statuses") or "none"

    samples = [tuple(map(int, line.split())) for line in open(os.path.join(work, "rss.txt"))
               if len(line.split()) == 2]
    warmup = max(WARMUP_MIN_SECONDS, seconds * WARMUP_SHARE)
    settled = [kib for t, kib in samples if warmup / 2 <= t <= warmup]
    # A short trial run's last quarter can start inside the warm-up.
    last_quarter = [kib for t, kib in samples if t > warmup and t >= seconds * 0.75]
    memory_judged = bool(settled and last_quarter)
    at_warmup_end = max(((t, kib) for t, kib in samples if t <= warmup), default=(0, 0))[1]
    if memory_judged:
        warm = max(settled)
        allowed = max(GROWTH_FLOOR_KIB, warm * GROWTH_SHARE)
        late = max(last_quarter)
        flat = late <= warm + allowed
    else:
        warm = late = allowed = 0
        flat = False
    end = samples[-1][1] if samples else 0
    peak = max((kib for _, kib in samples), default=0)

    ok = failed == 0 and socket == 0 and log_errors == 0 and flat
    mix = setup["mix"]
    writes = setup["writes"]
    lines = setup["lines"]

    def share(n):
        return f"{n / lines:.0%}"

    print(f"Command: `{command}` ({build} build; wrk and the server share the machine, loopback). "
          f"Run of {run}.")
    print()
    print(f"{setup['organisations']} organisations (the demo and restored copies of it), "
          f"{setup['people']} people ({', '.join(f'{n} {r}' for r, n in sorted(setup['roles'].items()))}), "
          "each logged in through the form for a browser session and with an API token "
          "(read-only for viewers, write for the others). "
          f"wrk -t2 -c{connections} -d{seconds}s cycles {lines} requests: "
          f"{share(mix.get('page', 0))} pages with a session cookie "
          f"({setup['distinct_pages']} distinct), "
          f"{share(mix.get('read', 0))} API reads with a bearer token "
          f"({setup['distinct_reads']} distinct), "
          f"{share(mix.get('write', 0))} API writes "
          f"({share(writes.get('measurement', 0))} measurement upserts, "
          f"{share(writes.get('support', 0))} supporting or withdrawing support for an idea, "
          f"{share(writes.get('notifications', 0))} marking notifications read). "
          f"Reference: `wrk -t2 -c{connections} -d{before['duration']}` on `/toegankelijkheid` (no login, no database) "
          "just before and just after the soak.")
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| requests | {soak['total']:,} in {seconds} s |")
    print(f"| throughput | {soak['rps']:,.0f} requests/s |")
    print(f"| reference throughput (before, after) | {before['rps']:,.0f}, {after['rps']:,.0f} requests/s |")
    print(f"| throughput / reference median | {soak['rps'] / reference:.1%} |")
    for p in (50, 90, 99):
        print(f"| p{p} latency | {soak['pct'].get(p, float('nan')):.1f} ms |")
    print(f"| reference p99 (before, after) | {before['pct'][99]:.1f}, {after['pct'][99]:.1f} ms |")
    print(f"| answers with status ≥ 300 | {failed} ({statuses}) |")
    print(f"| socket errors and timeouts (> 5 s) | {socket} |")
    print(f"| ERROR lines in the server log | {log_errors} |")
    print(f"| resident memory at the end of the warm-up ({warmup:.0f} s); "
          f"highest in its second half | {mib(at_warmup_end)}; {mib(warm)} |")
    print(f"| resident memory, highest in the last quarter | {mib(late)} |")
    print(f"| resident memory at the end; highest overall | {mib(end)}; {mib(peak)} |")
    if memory_judged:
        # The growth per request, so that runs of other speeds compare: a
        # leak shows as bytes per request, not as MiB per minute.
        after_warmup = soak["total"] * (seconds - warmup) / seconds
        per_request = (late - warm) * 1024 / after_warmup if after_warmup else 0
        print(f"| growth after the warm-up, per request | {per_request:.1f} bytes |")
    print()
    rule = (f"flat when the last quarter's highest resident size is at most "
            f"max({GROWTH_FLOOR_KIB // 1024} MiB, {GROWTH_SHARE:.0%}) above the highest in the "
            "second half of the warm-up; sampled every 5 s")
    if memory_judged:
        memory = (f"{'flat' if flat else 'NOT flat'}: {mib(late)} against a limit of "
                  f"{mib(warm + allowed)} ({rule})")
    else:
        memory = f"not judged: the run is too short for a warm-up and a last quarter ({rule})"
    problems = []
    if failed != 0:
        problems.append(f"{failed} answers with status ≥ 300 ({statuses})")
    if socket:
        problems.append(f"{socket} socket errors or timeouts")
    if log_errors:
        problems.append(f"{log_errors} ERROR lines in the server log")
    if not flat:
        problems.append("memory not flat" if memory_judged else "memory not judged")
    verdict = "**passed**" if ok else f"**failed**: {'; '.join(problems)}"
    print(f"Memory: {memory}. Verdict: {verdict}.")
    if setup["skipped"]:
        print()
        print("Left out by the set-up because they did not answer 2xx for that role: "
              + "; ".join(f"`{s}`" for s in setup["skipped"]) + ".")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
