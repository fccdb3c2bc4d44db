"""Times the demo organisation's board report; called by scripts/bench-report.sh.

Prints one Markdown table row per measurement: median and 95th percentile
in milliseconds, and the median as a multiple of the reference page's.
"""

import datetime
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench_http import Api, timed  # noqa: E402

REQUESTS = int(os.environ["REQUESTS"])


def last_quarter():
    today = datetime.date.today()
    quarter = (today.month - 1) // 3
    return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"


def made(api, n):
    period = last_quarter()
    api.post("/api/v1/board-reports", {"period": period})  # warm up
    times = []
    last = None
    for _ in range(n):
        t0 = time.perf_counter()
        last = api.post("/api/v1/board-reports", {"period": period})
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return last, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main():
    api = Api(os.environ["TOKEN"])
    report, build_median, build_p95 = made(api, REQUESTS)
    rid = report["id"]
    pdf_median, pdf_p95 = timed(api, f"/api/v1/board-reports/{rid}/document?format=pdf", REQUESTS)
    html_median, html_p95 = timed(api, f"/api/v1/board-reports/{rid}/document?format=html", REQUESTS)
    ref_median, ref_p95 = timed(Api(), "/toegankelijkheid", REQUESTS)
    sections = len(report["content"]["sections"])
    print(f"Demo organisation, {report['content']['period']}, {sections} sections; {REQUESTS} requests per line.\n")
    print("| what | median ms | p95 ms | × reference |")
    print("|---|---:|---:|---:|")
    for what, median, p95 in [
        ("build and store the report (POST /api/v1/board-reports)", build_median, build_p95),
        ("typeset the PDF (document?format=pdf)", pdf_median, pdf_p95),
        ("write the HTML (document?format=html)", html_median, html_p95),
        ("reference: GET /toegankelijkheid", ref_median, ref_p95),
    ]:
        print(f"| {what} | {median:.1f} | {p95:.1f} | {median / ref_median:.0f} |")


if __name__ == "__main__":
    main()
