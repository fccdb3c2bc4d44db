"""Seeds the skills benchmark through the API and times the gap views.

Called by scripts/bench-skills.sh with the server's port, two tokens and the
database URL in the environment; prints one Markdown table row per
measurement.

Two assessment rounds: every employee is assessed, then those assessments
are moved 30 days back in the database (the API dates an assessment today,
as it should; only a benchmark needs a past round), a second round starts
today and a third of the employees are assessed again.
"""

import json
import os
import re
import sqlite3
import subprocess
import time

from bench_http import Api, timed

EMPLOYEES = int(os.environ["EMPLOYEES"])
REQUESTS = int(os.environ["REQUESTS"])
BACKEND = os.environ["BACKEND"]
DATABASE = os.environ["DATABASE"]


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
    return seeded_structure, seeded, competences


def shift_assessments_back(days):
    sql = f"UPDATE skill_assessments SET assessed_on = assessed_on - {days}"
    if DATABASE.startswith("sqlite://"):
        db = sqlite3.connect(DATABASE.removeprefix("sqlite://"))
        db.execute(sql)
        db.commit()
        db.close()
    else:
        subprocess.run(["psql", "-q", DATABASE, "-c", sql], check=True, stdout=subprocess.DEVNULL)


def second_round(competences):
    """A round that started 40 days ago closes today; a third of the
    employees assess again, one level up."""
    hr = Api(os.environ["HR_TOKEN"])
    today = time.strftime("%Y-%m-%d")
    past = time.strftime("%Y-%m-%d", time.localtime(time.time() - 40 * 86400))
    hr.post("/api/v1/assessment-rounds", {"name": "Nulmeting", "starts_on": past})
    shift_assessments_back(30)
    hr.post("/api/v1/assessment-rounds", {"name": "Tweede meting", "starts_on": today})
    started = time.monotonic()
    for i in range(0, EMPLOYEES, 3):
        status, text = hr.request("GET", f"/api/v1/employees?search=M{i:05d}")
        employee = json.loads(text)["items"][0]["id"]
        levels = [{"competence_id": cid, "level": min(top, 2 + (i * 7 + k * 3) % top)}
                  for k, (cid, top) in enumerate(competences)]
        hr.post(f"/api/v1/employees/{employee}/assessments", {"source": "manager", "assessments": levels})
    return time.monotonic() - started


def once(client, path):
    t0 = time.perf_counter()
    status, _ = client.request("GET", path)
    if status != 200:
        raise SystemExit(f"GET {path}: {status}")
    return (time.perf_counter() - t0) * 1000


def import_file(client, rows):
    """The register as HR exports it, with every tenth employee in another unit."""
    # The unit names in the order seed() made them.
    units = []
    for d in range(12):
        units.append(f"Afdeling {d + 1}")
        units.extend(f"Team {d + 1}.{t + 1}" for t in range(9))
    lines = ["personeelsnummer;naam;eenheid;functieprofiel"]
    for i in range(rows):
        unit = units[(i + (1 if i % 10 == 0 else 0)) % len(units)]
        lines.append(f"M{i:05d};Medewerker {i};{unit};Functie {i % 25 + 1}")
    return "\n".join(lines).encode()


def timed_import(client, body, dry_run):
    t0 = time.perf_counter()
    client.conn.request("POST", f"/api/v1/employee-imports?dry_run={'true' if dry_run else 'false'}",
                        body=body, headers={**client.headers, "Content-Type": "text/csv"})
    response = client.conn.getresponse()
    text = response.read().decode(errors="replace")
    if response.status != 200:
        raise SystemExit(f"import: {response.status} {text[:300]}")
    return (time.perf_counter() - t0) * 1000, json.loads(text)


def login(password):
    client = Api()
    status, page = client.request("GET", "/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.request("POST", "/login", form={"csrf_token": csrf, "email": "hr@meetstad.example", "password": password})
    return client


def main():
    structure, seeded, competences = seed()
    print(f"bench: {BACKEND}: units, frameworks and roles in {structure:.1f} s; {EMPLOYEES} employees "
          f"with 30 assessments each in {seeded:.1f} s ({EMPLOYEES / seeded:.0f} employees/s, "
          f"{EMPLOYEES * 30 / seeded:.0f} assessments/s)")
    again = second_round(competences)
    print(f"bench: {BACKEND}: second round, {EMPLOYEES // 3} employees assessed again in {again:.1f} s")
    hr = Api(os.environ["HR_TOKEN"])
    page = login(os.environ["PASSWORD"])
    anonymous = Api()
    # The first read of the trend after the first round closed fixes it.
    fixing = once(hr, "/api/v1/skill-gaps/trend")
    print(f"bench: {BACKEND}: first trend read, fixing the closed round: {fixing:.0f} ms")
    body = import_file(hr, EMPLOYEES)
    dry, report = timed_import(hr, body, True)
    real, report = timed_import(hr, body, False)
    print(f"bench: {BACKEND}: import of {EMPLOYEES} rows: check only {dry:.0f} ms; "
          f"writing {report['updated']} moves and rebuilding the gap sums {real:.0f} ms")
    rows = [
        ("static page `/toegankelijkheid` (reference)", timed(anonymous, "/toegankelijkheid", REQUESTS)),
        ("`GET /api/v1/skill-gaps` (heatmap, role gaps, priorities, plan)", timed(hr, "/api/v1/skill-gaps", REQUESTS)),
        ("`/skills/heatmap` page (heatmap and trend)", timed(page, "/skills/heatmap", REQUESTS)),
        ("`GET /api/v1/skill-gaps/trend` (two rounds, one fixed)", timed(hr, "/api/v1/skill-gaps/trend", REQUESTS)),
        ("`/skills` page (strategic view with trend)", timed(page, "/skills", REQUESTS)),
        ("`GET /api/v1/skill-gaps/export` (XLSX workbook)", timed(hr, "/api/v1/skill-gaps/export", max(5, REQUESTS // 5))),
    ]
    reference = rows[0][1][0]
    print(f"\n{BACKEND}, {EMPLOYEES} employees × 30 competences, {REQUESTS} sequential requests each\n")
    print("| request | median | p95 | median ÷ reference |")
    print("|---|---:|---:|---:|")
    for name, (median, p95) in rows:
        print(f"| {name} | {median:.1f} ms | {p95:.1f} ms | {median / reference:.0f}× |")


main()
