"""Builds the request list that scripts/soak.sh replays with wrk.

    PORT=... KOERS_SOAK_PASSWORD=... python3 soak_setup.py USERS_TSV REQUESTS_OUT SUMMARY_OUT

USERS_TSV has one person a line: organisation slug, email, role, API token
(made with `koers token create`). Every person logs in through the form with
the password in KOERS_SOAK_PASSWORD, for a browser session. Real ids are read per organisation through the API, each
candidate request is tried once (writes by the very person who will send
them, pages and reads by someone of the same role and organisation), and
only those that answer 2xx make it into the list: a soak should fail on what
changes under load, not on a request that never worked.

Each line of REQUESTS_OUT is kind, method, path, body ("-" for none) and
headers, separated by tabs (scripts/lib/soak.lua reads it). Every request
uses its own organisation's ids with its own organisation's credentials.
SUMMARY_OUT gets the mix and what was skipped, as JSON.
"""

import http.client
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict

from bench_http import PORT, Api

# Enough lines that each person sends a varied set, few enough to try every
# write once on a debug build within a minute or two.
LINES = 2400
SHARE = {"page": 0.50, "read": 0.35, "write": 0.15}
# How the writes divide: recording figures is the everyday write; supporting
# ideas and clearing notifications are what the other members do.
WRITE_SHARE = {"measurement": 0.60, "support": 0.30, "notifications": 0.10}
# How many of each kind of resource the pages and reads pick from.
SAMPLE = 8

# Pages an organisation's members open, with how often relative to each
# other; {name} stands for each sampled id of that resource (the weight is
# shared among them). Pages a role may not see are tried and left out.
PAGES = {
    "/": 8,
    "/indicators": 5,
    "/indicators/{indicator}": 8,
    "/portfolio": 3,
    "/portfolio/board": 1,
    "/portfolio/effects": 1,
    "/initiatives/{initiative}": 5,
    "/units": 2,
    "/units/{unit}": 1,
    "/ideas": 3,
    "/ideas/{idea}": 3,
    "/ideas/campaigns": 1,
    "/programmes": 1,
    "/programmes/{programme}": 2,
    "/services": 1,
    "/services/{service}": 1,
    "/skills": 1,
    "/skills/heatmap": 1,
    "/surveys": 1,
    "/notifications": 2,
    "/account": 1,
}
READS = {
    "/api/v1/indicators": 3,
    "/api/v1/indicators/{indicator}": 4,
    "/api/v1/indicators/{indicator}/measurements": 4,
    "/api/v1/indicators/{indicator}/targets": 1,
    "/api/v1/measurement-rollups?frequency=month": 1,
    "/api/v1/initiatives": 2,
    "/api/v1/initiatives/{initiative}": 3,
    "/api/v1/initiatives/{initiative}/gate-decisions": 1,
    "/api/v1/units": 1,
    "/api/v1/units/{unit}": 1,
    "/api/v1/ideas": 2,
    "/api/v1/ideas/{idea}": 2,
    "/api/v1/programmes": 1,
    "/api/v1/programmes/{programme}/health": 1,
    "/api/v1/services": 1,
    "/api/v1/notifications": 1,
    "/api/v1/me": 1,
}
RESOURCES = {
    "indicator": "/api/v1/indicators",
    "initiative": "/api/v1/initiatives",
    "unit": "/api/v1/units",
    "idea": "/api/v1/ideas",
    "programme": "/api/v1/programmes",
    "service": "/api/v1/services",
}
# Roles from least to most privileged, as far as the mix cares.
PRIVILEGE = ["viewer", "employee", "hr", "unit_lead", "executive", "programme_lead", "admin"]
# Roles whose write token may do each write (docs/permissions.md).
RECORDERS = {"admin", "programme_lead", "unit_lead"}
SUPPORTERS = {"admin", "executive", "programme_lead", "unit_lead", "employee", "hr"}
# Restored copies of the demo are renamed, so pages tell them apart.
NAMES = {
    "voorbeeldstad": "Gemeente Voorbeeldstad",
    "noordwaard": "Gemeente Noordwaard",
    "zuiderveen": "Gemeente Zuiderveen",
    "oostmeer": "Waterschap Oostmeer",
    "westerkwartier": "Provincie Westerkwartier",
}


class Person:
    def __init__(self, org, email, role, token):
        self.org, self.email, self.role, self.token = org, email, role, token
        self.api = Api(token)
        self.session = None

    def log_in(self, password):
        browser = Api()
        status, page = browser.request("GET", "/login")
        found = re.search(r'name="csrf_token" value="([^"]*)"', page)
        if status != 200 or not found:
            raise SystemExit(f"soak: GET /login answered {status} without a csrf_token")
        form = {"csrf_token": found.group(1), "email": self.email, "password": password}
        status, _ = browser.request("POST", "/login", form=form)
        self.session = browser.cookies.get("koers_session")
        if status != 303 or not self.session:
            raise SystemExit(f"soak: logging in as {self.email} answered {status}")

    def headers(self, kind, body):
        if kind == "page":
            return [f"Cookie: koers_session={self.session}", "Accept: text/html"]
        headers = [f"Authorization: Bearer {self.token}", "Accept: application/json"]
        if body is not None:
            headers.append("Content-Type: application/json")
        return headers

    def send(self, kind, method, path, body):
        """Sends one request with the headers and body wrk will send; the status."""
        headers = dict(h.split(": ", 1) for h in self.headers(kind, body))
        conn = http.client.HTTPConnection("127.0.0.1", PORT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()


def get_json(person, path):
    status, text = person.api.request("GET", path)
    if status != 200:
        raise SystemExit(f"soak: GET {path} as {person.email} answered {status}: {text[:200]}")
    return json.loads(text)


def every_item(person, path):
    items, page = [], 1
    while True:
        sep = "&" if "?" in path else "?"
        got = get_json(person, f"{path}{sep}page={page}&page_size=100")
        items += got["items"]
        if len(items) >= got["total"] or not got["items"]:
            return items
        page += 1


def clamp(value, indicator):
    """Within the unit's own bounds narrowed by the indicator's (as
    `Indicator::bounds`): a value outside them is refused."""
    low = {"percentage": 0.0, "count": 0.0, "days": 0.0}.get(indicator["unit"])
    high = 100.0 if indicator["unit"] == "percentage" else None
    if indicator.get("min_value") is not None:
        low = indicator["min_value"] if low is None else max(low, indicator["min_value"])
    if indicator.get("max_value") is not None:
        high = indicator["max_value"] if high is None else min(high, indicator["max_value"])
    if low is not None:
        value = max(low, value)
    if high is not None:
        value = min(high, value)
    return value


def measurement_bodies(admin, indicator, rng):
    """Corrections of the latest few figures: upserts by period, so every
    one stays valid however often it is sent."""
    got = get_json(admin, f"/api/v1/indicators/{indicator['id']}/measurements?page_size=100")
    # The list is newest period first; breakdowns (by channel …) are left
    # alone, the totals are what people correct.
    latest = {}
    for m in got["items"]:
        if not m.get("dimensions"):
            latest.setdefault(m["period"], m["value"])
    periods = list(latest)[:3]
    bodies = []
    for period in periods:
        for _ in range(4):
            value = clamp(latest[period] * (1 + rng.uniform(-0.05, 0.05)), indicator)
            value = round(value) if indicator["unit"] == "count" else round(value, 1)
            bodies.append(json.dumps({"measurements": [{"period": period, "value": value}]},
                                     separators=(",", ":")))
    return bodies


def expand(templates, ids):
    """Each template with each sampled id, the weight shared among them."""
    out = []
    for template, weight in templates.items():
        names = re.findall(r"\{(\w+)\}", template)
        if not names:
            out.append((template, template, weight))
            continue
        choices = ids.get(names[0], [])
        for value in choices:
            out.append((template, template.replace("{" + names[0] + "}", str(value)),
                        weight / len(choices)))
    return out


def pick(rng, candidates, count):
    """`count` lines drawn from (weight, line) candidates."""
    if not candidates:
        return []
    weights = [w for w, _ in candidates]
    return [line for _, line in rng.choices(candidates, weights=weights, k=count)]


def main():
    users_file, requests_out, summary_out = sys.argv[1:4]
    password = os.environ["KOERS_SOAK_PASSWORD"]
    rng = random.Random(2026)
    people = [Person(*line.rstrip("\n").split("\t")) for line in open(users_file) if line.strip()]
    by_org = defaultdict(list)
    for person in people:
        by_org[person.org].append(person)
    for person in people:
        person.log_in(password)
    print(f"soak: {len(people)} people logged in", file=sys.stderr)

    skipped = Counter()
    lines = {"page": [], "read": [], "write": {k: [] for k in WRITE_SHARE}}
    for org, members in sorted(by_org.items()):
        admin = next(p for p in members if p.role == "admin")
        if org in NAMES:
            status, text = admin.api.request("PATCH", "/api/v1/organisation", {"name": NAMES[org]})
            if status != 200:
                raise SystemExit(f"soak: renaming {org} answered {status}: {text[:200]}")
        # Ideas as the least privileged member sees them: hidden ones are
        # the triagers' business and answer 404 to everyone else.
        least = min(members, key=lambda p: PRIVILEGE.index(p.role))
        found = {name: every_item(least if name == "idea" else admin, path)
                 for name, path in RESOURCES.items()}
        ids = {name: [i["id"] for i in rng.sample(items, min(SAMPLE, len(items)))]
               for name, items in found.items()}

        # Pages and reads: tried once per role, since members of one role
        # see the same; kept per person, weights summing to one per person
        # so every member is about equally busy.
        by_role = defaultdict(list)
        for person in members:
            by_role[person.role].append(person)
        for role, same in sorted(by_role.items()):
            probe = same[0]
            for kind, templates in (("page", PAGES), ("read", READS)):
                valid = []
                for template, path, weight in expand(templates, ids):
                    status = probe.send(kind, "GET", path, None)
                    if status == 200:
                        valid.append((template, path, weight))
                    else:
                        skipped[f"{kind} {template} as {role}: {status}"] += 1
                total = sum(w for _, _, w in valid) or 1
                for person in same:
                    for _, path, weight in valid:
                        lines[kind].append((weight / total, (kind, person, "GET", path, None)))

        # Writes, each tried once as it will be sent.
        recordable = [i for i in found["indicator"]
                      if not i.get("formula") and i.get("latest") is not None]
        to_record = rng.sample(recordable, min(6, len(recordable)))
        bodies = {i["id"]: measurement_bodies(admin, i, rng) for i in to_record}
        for person in members:
            candidates = []
            if person.role in RECORDERS:
                candidates += [("measurement", "POST", f"/api/v1/indicators/{i}/measurements", b)
                               for i, bs in bodies.items() for b in bs]
            if person.role in SUPPORTERS:
                for idea in ids["idea"]:
                    # Supporting and withdrawing again: both are idempotent,
                    # so any interleaving of the two stays valid.
                    candidates += [("support", m, f"/api/v1/ideas/{idea}/support", None)
                                   for m in ("PUT", "DELETE")]
            if person.role != "viewer":
                candidates.append(("notifications", "POST", "/api/v1/notifications/read", None))
            tried = defaultdict(list)
            for sub, method, path, body in candidates:
                status = person.send("write", method, path, body)
                if 200 <= status < 300:
                    tried[sub].append((method, path, body))
                else:
                    template = re.sub(r"/\d+", "/{id}", path)
                    skipped[f"write {method} {template} as {person.role}: {status}"] += 1
            for sub, valid in tried.items():
                for method, path, body in valid:
                    lines["write"][sub].append(
                        (1 / len(valid), ("write", person, method, path, body)))
        print(f"soak: {org} ready", file=sys.stderr)

    counts = {kind: round(LINES * share) for kind, share in SHARE.items()}
    counts["write"] = LINES - counts["page"] - counts["read"]
    chosen = pick(rng, lines["page"], counts["page"]) + pick(rng, lines["read"], counts["read"])
    for sub, share in WRITE_SHARE.items():
        n = round(counts["write"] * share)
        chosen += [(sub,) + line[1:] for line in pick(rng, lines["write"][sub], n)]
    rng.shuffle(chosen)

    with open(requests_out, "w") as out:
        for kind, person, method, path, body in chosen:
            fields = [kind, method, path, body or "-"] + person.headers(
                "page" if kind == "page" else "api", body)
            out.write("\t".join(fields) + "\n")

    mix = Counter("page" if k == "page" else "read" if k == "read" else "write"
                  for k, *_ in chosen)
    summary = {
        "lines": len(chosen),
        "organisations": len(by_org),
        "people": len(people),
        "roles": dict(Counter(p.role for p in people)),
        "mix": dict(mix),
        "writes": dict(Counter(k for k, *_ in chosen if k not in ("page", "read"))),
        "distinct_pages": len({p for k, _, _, p, _ in chosen if k == "page"}),
        "distinct_reads": len({p for k, _, _, p, _ in chosen if k == "read"}),
        "skipped": sorted(skipped),
    }
    with open(summary_out, "w") as out:
        json.dump(summary, out, indent=1)
    for line in summary["skipped"]:
        print(f"soak: left out {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
