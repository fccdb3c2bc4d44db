"""Sets up the survey benchmark and times the results.

Called by scripts/bench-surveys.sh; prints one Markdown table row per
measurement. Responses go straight into the SQLite file, as the answer
page would write them: a random id, the unit, one row per answer.
"""

import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench_http import Api, timed  # noqa: E402

RESPONDENTS = int(os.environ["RESPONDENTS"])
REQUESTS = int(os.environ["REQUESTS"])


def setup():
    admin = Api(os.environ["ADMIN_TOKEN"])
    hr = Api(os.environ["HR_TOKEN"])
    units = []
    for d in range(12):
        dept = admin.post("/api/v1/units", {"name": f"Afdeling {d + 1}"})["id"]
        units.append(dept)
        for t in range(9):
            units.append(admin.post("/api/v1/units", {"name": f"Team {d + 1}.{t + 1}", "parent_id": dept})["id"])
    status, text = hr.request("GET", "/api/v1/survey-instruments")
    pulse = next(i for i in json.loads(text)["items"] if i["kind"] == "pulse")["id"]
    status, text = hr.request("GET", f"/api/v1/survey-instruments/{pulse}")
    items = [{"key": i["key"]} for i in json.loads(text)["version"]["items"]]
    own = [{"dimension": f"b{1 + n % 10}", "text_nl": f"Eigen stelling {n + 1}"} for n in range(24)]
    status, text = hr.request("PUT", f"/api/v1/survey-instruments/{pulse}", {"items": own + items})
    assert status == 200, text
    version = json.loads(text)["version"]
    assert len(version["items"]) == 40, len(version["items"])
    today = time.strftime("%Y-%m-%d")
    later = time.strftime("%Y-%m-%d", time.localtime(time.time() + 14 * 86400))
    wave = hr.post("/api/v1/survey-waves", {"instrument_id": pulse, "name": "Meting", "opens_on": today, "closes_on": later})
    return units, version["items"], wave


def seed(units, items, wave):
    db = sqlite3.connect(os.environ["DATABASE"])
    organisation = db.execute("SELECT id FROM organisations").fetchone()[0]
    rng = random.Random(2026)
    responses, answers = [], []
    for n in range(RESPONDENTS):
        rid = rng.getrandbits(62) + 1
        responses.append((rid, organisation, wave["id"], units[n % len(units)]))
        for item in items:
            if item["dimension"] == "open":
                if n % 10 == 0:
                    answers.append((organisation, rid, item["id"], None, f"Antwoord {n}"))
            else:
                answers.append((organisation, rid, item["id"], rng.randint(1, 5), None))
    db.executemany("INSERT INTO survey_responses (id, organisation_id, wave_id, unit_id) VALUES (?, ?, ?, ?)", responses)
    db.executemany("INSERT INTO survey_answers (organisation_id, response_id, item_id, score, answer_text) "
                   "VALUES (?, ?, ?, ?, ?)", answers)
    # The sums the answer page keeps up to date in the same transaction.
    db.execute("INSERT INTO survey_result_sums (organisation_id, wave_id, unit_id, dimension, respondents, "
               "score_sum, scores) SELECT r.organisation_id, r.wave_id, r.unit_id, i.dimension, "
               "COUNT(DISTINCT r.id), SUM(a.score), COUNT(a.score) FROM survey_answers a "
               "JOIN survey_responses r ON r.id = a.response_id JOIN survey_items i ON i.id = a.item_id "
               "WHERE a.score IS NOT NULL GROUP BY r.organisation_id, r.wave_id, r.unit_id, i.dimension")
    db.commit()
    db.close()
    return len(answers)


def login(password):
    client = Api()
    status, page = client.request("GET", "/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.request("POST", "/login", form={"csrf_token": csrf, "email": "hr@meetstad.example", "password": password})
    return client


def main():
    units, items, wave = setup()
    count = seed(units, items, wave)
    print(f"bench: {RESPONDENTS} respondents, {len(items)} items, {count} answers over {len(units)} units")
    hr = Api(os.environ["HR_TOKEN"])
    page = login(os.environ["PASSWORD"])
    anonymous = Api()
    rows = [
        ("static page `/toegankelijkheid` (reference)", timed(anonymous, "/toegankelijkheid", REQUESTS)),
        ("`GET /api/v1/survey-waves/{id}/results`", timed(hr, f"/api/v1/survey-waves/{wave['id']}/results", REQUESTS)),
        ("`/surveys/waves/{id}` page (rates and results)", timed(page, f"/surveys/waves/{wave['id']}", REQUESTS)),
    ]
    reference = rows[0][1][0]
    print(f"\nsqlite, {RESPONDENTS} respondents × {len(items)} items, {REQUESTS} sequential requests each\n")
    print("| request | median | p95 | median ÷ reference |")
    print("|---|---:|---:|---:|")
    for name, (median, p95) in rows:
        print(f"| {name} | {median:.1f} ms | {p95:.1f} ms | {median / reference:.0f}× |")


main()
