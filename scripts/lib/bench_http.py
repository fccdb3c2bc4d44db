"""The HTTP client and timing the benchmark scripts share."""

import http.client
import json
import os
import statistics
import time
import urllib.parse

PORT = int(os.environ["PORT"])


class Api:
    def __init__(self, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.cookies = {}

    def request(self, method, path, body=None, form=None, headers=None):
        all_headers = dict(self.headers)
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = json.dumps(body)
        if form is not None:
            data = urllib.parse.urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        all_headers.update(headers or {})
        self.conn.request(method, path, body=data, headers=all_headers)
        response = self.conn.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key] = val
        return response.status, text

    def post(self, path, body):
        status, text = self.request("POST", path, body)
        if status not in (200, 201):
            raise SystemExit(f"POST {path}: {status} {text[:300]}")
        return json.loads(text)


def timed(client, path, n):
    times = []
    client.request("GET", path)  # warm up
    for _ in range(n):
        t0 = time.perf_counter()
        status, _ = client.request("GET", path)
        times.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


