"""Checks survey mail end to end against a real SMTP server (see
scripts/mail-suite.sh): what the API says it mailed is what arrived, every
letter carries a working one-time link, and a reminder replaces the links."""

import datetime
import email.header
import json
import mailbox
import os
import re
import sys
import urllib.error
import urllib.request

BASE = os.environ["KOERS_URL"]
TOKEN = os.environ["KOERS_TOKEN"]
MAILDIR = os.environ["MAILDIR"]


def api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + "/api/v1" + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as response:
        return response.status, json.loads(response.read())


def status_of(url):
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fail(message):
    print(f"mail suite: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def letters():
    box = mailbox.Maildir(MAILDIR, create=False)
    found = []
    for message in box:
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        subject = " ".join(subject.split())  # unfold long header lines
        body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
        links = re.findall(re.escape(BASE) + r"/s/[A-Za-z0-9_-]+", body)
        found.append((message["To"], message["From"], subject, body, links))
    return found


_, instruments = api("GET", "/survey-instruments")
pulse = next(i for i in instruments["items"] if i["kind"] == "pulse")
today = datetime.date.today()
name = f"Mail suite {datetime.datetime.now():%H%M%S}"
status, wave = api("POST", "/survey-waves", {
    "instrument_id": pulse["id"], "name": name,
    "opens_on": today.isoformat(), "closes_on": (today + datetime.timedelta(days=14)).isoformat(),
})
if status != 201:
    fail(f"creating the wave answered {status}")

_, sent = api("POST", f"/survey-waves/{wave['id']}/invitation-mails")
if sent["mailed"] < 1:
    fail(f"nothing was mailed: {sent}")
first = letters()
if len(first) != sent["mailed"]:
    fail(f"the API said {sent['mailed']} mailed, the server holds {len(first)}")
for to, sender, subject, body, links in first:
    if "voorbeeldstad.example" not in sender:
        fail(f"unexpected sender {sender!r}")
    if name not in subject or "Uitnodiging" not in subject and "Uw kijk" not in subject:
        fail(f"subject {subject!r} does not name the wave")
    if len(links) != 2 or links[0] != links[1]:
        fail(f"letter to {to} should carry its link once per language: {links}")
    if status_of(links[0]) != 200:
        fail(f"the link mailed to {to} does not open")
if len({links[0] for *_, links in first}) != len(first):
    fail("two letters carry the same link")
print(f"mail suite: {sent['mailed']} invitations arrived, {len(sent['not_mailed'])} links handed back")

_, reminded = api("POST", f"/survey-waves/{wave['id']}/reminder-mails")
if reminded["mailed"] != sent["mailed"]:
    fail(f"reminders mailed {reminded['mailed']}, expected {sent['mailed']} (nobody answered)")
second = [letter for letter in letters() if letter[2].startswith("Herinnering")]
if len(second) != reminded["mailed"]:
    fail(f"{reminded['mailed']} reminders mailed, {len(second)} arrived")
for *_, links in first:
    if status_of(links[0]) != 404:
        fail("an invitation link still works after the reminder replaced it")
for *_, links in second:
    if status_of(links[0]) != 200:
        fail("a reminder link does not open")
print(f"mail suite: {reminded['mailed']} reminders arrived; the old links stopped working")
