"""Seeds the skills benchmark through the API and times the gap views.

Called by scripts/bench-skills.sh with the server's port and two tokens in
the environment; prints one Markdown table row per measurement.
"""

import http.client
import json
import os
import re
import statistics
import time
import urllib.parse

PORT = int(os.environ["PORT"])
EMPLOYEES = int(os.environ["EMPLOYEES"])
REQUESTS = int(os.environ["REQUESTS"])
BACKEND = os.environ["BACKEND"]


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
        text = response.read().decode()
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


def seed():
    admin = Api(os.environ["ADMIN_TOKEN"])
    hr = Api(os.environ["HR_TOKEN"])
    started = time.monotonic()
    units = []
    for d in range(12):
        dept = admin.post("/api/v1/units", {"name": f"Afdeling {d + 1}"})["id"]
        units.append(dept)
        for t in range(9):
            units.append(admin.post("/api/v1/units", {"name": f"Team {d + 1}.{t + 1}", "parent_id": dept})["id"])
    own = hr.post("/api/v1/competence-frameworks",
                  {"name": "Toekomstvaardigheden", "levels": ["Basis", "Gevorderd", "Expert", "Meester"]})["id"]
    for i in range(9):
        hr.post(f"/api/v1/competence-frameworks/{own}/competences", {"code": f"TV.{i + 1}", "name": f"Vaardigheid {i + 1}"})
    status, text = hr.request("GET", "/api/v1/competences?page_size=100")
    competences = [(c["id"], c["top_level"]) for c in json.loads(text)["items"]]
    assert len(competences) == 30, len(competences)
    roles = []
    for r in range(25):
        needs = [competences[(r + 2 * k) % 30] for k in range(12)]
        requirements = [{"competence_id": cid, "level_now": min(top, 2 + (r + k) % 3),
                         "level_horizon": min(top, 3 + (r + k) % 3)} for k, (cid, top) in enumerate(needs)]
        roles.append(hr.post("/api/v1/role-profiles", {
            "name": f"Functie {r + 1}", "fte_now": 20 + r, "fte_needed": 22 + r, "horizon_on": "2028-12-31",
            "information_management": r % 5 == 0, "requirements": requirements})["id"])
    seeded_structure = time.monotonic() - started
    started = time.monotonic()
    for i in range(EMPLOYEES):
        employee = hr.post("/api/v1/employees", {
            "number": f"M{i:05d}", "name": f"Medewerker {i}", "unit_id": units[i % len(units)],
            "role_profile_id": roles[i % len(roles)]})["id"]
        levels = [{"competence_id": cid, "level": 1 + (i * 7 + k * 3) % top} for k, (cid, top) in enumerate(competences)]
        hr.post(f"/api/v1/employees/{employee}/assessments", {"source": "manager", "assessments": levels})
    seeded = time.monotonic() - started
    return seeded_structure, seeded


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


def login(password):
    client = Api()
    status, page = client.request("GET", "/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.request("POST", "/login", form={"csrf_token": csrf, "email": "hr@meetstad.example", "password": password})
    return client


def main():
    structure, seeded = seed()
    print(f"bench: {BACKEND}: units, frameworks and roles in {structure:.1f} s; {EMPLOYEES} employees "
          f"with 30 assessments each in {seeded:.1f} s ({EMPLOYEES / seeded:.0f} employees/s, "
          f"{EMPLOYEES * 30 / seeded:.0f} assessments/s)")
    hr = Api(os.environ["HR_TOKEN"])
    page = login(os.environ["PASSWORD"])
    anonymous = Api()
    rows = [
        ("static page `/toegankelijkheid` (reference)", timed(anonymous, "/toegankelijkheid", REQUESTS)),
        ("`GET /api/v1/skill-gaps` (heatmap, role gaps, priorities, plan)", timed(hr, "/api/v1/skill-gaps", REQUESTS)),
        ("`/skills/heatmap` page", timed(page, "/skills/heatmap", REQUESTS)),
    ]
    reference = rows[0][1][0]
    print(f"\n{BACKEND}, {EMPLOYEES} employees × 30 competences, {REQUESTS} sequential requests each\n")
    print("| request | median | p95 | median ÷ reference |")
    print("|---|---:|---:|---:|")
    for name, (median, p95) in rows:
        print(f"| {name} | {median:.1f} ms | {p95:.1f} ms | {median / reference:.0f}× |")


main()
