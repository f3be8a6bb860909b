"""The load test: officers of mixed roles using a production server at once (`make load`).

Loopback only (the host must be 127.0.0.1 or localhost), bounded in users and time by the
make target (headless Locust, `--users`, `--run-time`). Each simulated officer signs in
through the real pages, second factor included (the TOTP code is computed from the key that
`manage.py prepare_load_test` wrote), then browses, searches, opens records, asks for the
record's PDF, starts screenings, sends CSE1 referrals (practitioners) and decides them (CSC
social workers: the referrals this run sent, so that two may decide the same one at once), and
edits the same few children and the same minutes as the others, so that stale saves happen.
Every write is recorded: confirmed (the service redirected after saving; for a decision, the
page it redirected to said it was recorded), or answered with the conflict page (the writer's
text shown again; for a decision, "a decision has already been recorded"). At the end the
writes are written to CSE_LOAD_WRITES for scripts/load/verify.py, which looks for each
confirmed write in the database and for none of the refused ones.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

SIGN_INS = json.loads(Path(os.environ["CSE_LOAD_SIGN_INS"]).read_text(encoding="utf-8"))
WRITES: list[dict[str, Any]] = []
SENT: list[str] = []  # the referrals this run sent (their page's path), for CSC to decide
_next_sign_in = itertools.count()
CONFLICT = "while you were"  # both conflict messages: "…saved changes … while you were editing it"
DECIDED_ALREADY = "decision has already been recorded"  # the decision's own conflict answer
DECIDED = ("The decision has been recorded", "the decision recorded")
SEARCHES = ["Jamie", "Smith", "Lee", "a", "Northdale", "CSE-", "Riley", "zz-no-match"]
HOT_CHILDREN = 3  # everyone who may edit children edits the same few
# How often officers send and decide referrals, against browsing (6); raise it for a short run
# that must see a decision (CSC decides only the referrals the run itself sent).
REFERRALS = int(os.environ.get("CSE_LOAD_REFERRAL_WEIGHT", "2"))


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as django-otp's TOTPDevice checks it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class FormParser(HTMLParser):
    """The fields of the page's forms, as a browser would submit them (first submit button
    excluded), by form action."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "fields": [],
                    "options": {},  # each select's values, the empty prompt left out
                }
            )
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in {"submit", "button"}:
            if a.get("type") in {"radio", "checkbox"} and "checked" not in a:
                return
            self.forms[-1]["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"].append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1]["options"][self._select] = []
        elif tag == "option" and self._select:
            if a.get("value"):
                self.forms[-1]["options"][self._select].append(a["value"])
            if "selected" in a:
                self.forms[-1]["fields"].append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)


def post_forms(html: str, path: str = "") -> list[dict[str, Any]]:
    """The page's own POST forms (those that post back to it), not the header's sign-out."""
    parser = FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post" and f["action"] in {"", path}]


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', html)))


class Officer(HttpUser):
    """One officer: a sign-in of its own, a role, and the pages that role uses."""

    wait_time = between(1, 4)

    def on_start(self) -> None:
        host = urlsplit(self.host).hostname
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise SystemExit("The load test runs against this machine only (loopback).")
        self.client.verify = os.environ.get("CSE_TLS_CERT") or False
        self.me = SIGN_INS[next(_next_sign_in) % len(SIGN_INS)]
        self.children: list[str] = []
        self.n = 0
        self.sign_in()
        # The chairs and minute-takers of draft meetings: they write the minutes often.
        mine = self.get("/meetings/", name="your meetings")
        self.meetings = links(mine.text, r"/children/[0-9a-f-]{36}/meetings/\d+/")

    # --- helpers ------------------------------------------------------------------------
    def get(self, path: str, name: str | None = None) -> Any:
        return self.client.get(path, name=name or path, headers={"Referer": self.host + path})

    def post(self, path: str, data: Any, name: str, referer: str | None = None) -> Any:
        headers = {"Referer": self.host + (referer or path)}
        return self.client.post(path, data=data, name=name, headers=headers, allow_redirects=False)

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""

    def sign_in(self) -> None:
        page = self.get("/account/sign-in/", name="sign in")
        data = {
            "csrfmiddlewaretoken": self.csrf(page.text),
            "username": self.me["username"],
            "password": self.me["password"],
        }
        response = self.post("/account/sign-in/", data, name="sign in")
        if response.status_code != 302:
            raise RuntimeError(f"sign-in failed for {self.me['username']}: {response.status_code}")
        verify = "/account/two-factor/verify/"
        for _ in range(3):  # a code is accepted once: wait for the next one if it was used
            page = self.get(verify, name="two-factor")
            data = {"csrfmiddlewaretoken": self.csrf(page.text), "token": totp(self.me["totp_key"])}
            if self.post(verify, data, name="two-factor").status_code == 302:
                return
            time.sleep(30 - time.time() % 30 + 0.5)
        raise RuntimeError(f"second factor refused for {self.me['username']}")

    def child(self, hot: bool = False) -> str | None:
        if not self.children:
            page = self.get("/children/", name="children list")
            self.children = links(page.text, r"/children/[0-9a-f-]{36}/")
        if not self.children:
            return None
        return random.choice(self.children[:HOT_CHILDREN] if hot else self.children)

    def marker(self, kind: str) -> str:
        self.n += 1
        return f"load {self.me['username']} {kind} {self.n} {random.randrange(10**6)}"

    def record_write(
        self,
        kind: str,
        marker: str,
        response: Any,
        path: str,
        *,
        confirmed: bool | None = None,
        conflict: bool | None = None,
    ) -> None:
        if conflict is None:
            conflict = response.status_code == 200 and CONFLICT in response.text
        # A conflict shown on the form keeps the writer's text; one answered by a redirect
        # (a decision recorded before the form was sent) has no form to keep it in.
        text_kept: bool | None = conflict and marker in response.text
        if conflict and response.status_code == 302:
            text_kept = None
        WRITES.append(
            {
                "kind": kind,
                "marker": marker,
                "path": path,
                "status": response.status_code,
                "confirmed": response.status_code == 302 if confirmed is None else confirmed,
                "conflict": conflict,
                "text_kept": text_kept,
                "location": response.headers.get("Location", ""),
            }
        )

    def fields_of(
        self, path: str, name: str, choose: tuple[str, ...] = ()
    ) -> list[tuple[str, str]] | None:
        """The fields of the page's own POST form, or None when the officer may not open it;
        each select named in `choose` left at its prompt gets its first option, as the
        officer would pick one."""
        page = self.client.get(path, name=name, catch_response=True)
        with page as response:
            if response.status_code in {403, 404}:
                response.success()  # not this officer's to do
                return None
        forms = post_forms(page.text, path)
        if not forms:
            return None
        fields, options = forms[0]["fields"], forms[0]["options"]
        for select in choose:
            if not dict(fields).get(select) and options.get(select):
                fields = [(k, v) for k, v in fields if k != select]
                fields.append((select, options[select][0]))
        return fields

    # --- what officers do ---------------------------------------------------------------
    @task(6)
    def browse(self) -> None:
        self.get("/children/", name="children list")
        self.get("/children/?page=2", name="children list page 2")

    @task(3)
    def search(self) -> None:
        page = self.get("/children/", name="children list")
        data = {"csrfmiddlewaretoken": self.csrf(page.text), "q": random.choice(SEARCHES)}
        self.post("/children/", data, name="search")
        self.get("/children/", name="search results")

    @task(6)
    def open_record(self) -> None:
        child = self.child()
        if child:
            self.get(child, name="child's record")
            self.get("/", name="home")

    @task(3)
    def edit_a_shared_child(self) -> None:
        child = self.child(hot=True)
        if not child:
            return
        record = self.get(child, name="child's record")
        if f'href="{child}edit/"' not in record.text:
            return  # not this agency's to change
        edit = f"{child}edit/"
        page = self.get(edit, name="edit child")
        forms = [f for f in post_forms(page.text, edit) if "version" in dict(f["fields"])]
        if not forms:
            return
        marker = self.marker("child")
        fields = [(k, v) for k, v in forms[0]["fields"] if k != "school_or_setting"]
        fields.append(("school_or_setting", f"Brookfield Academy ({marker})"))
        time.sleep(random.uniform(0.5, 2))  # reading and typing: others save meanwhile
        self.record_write("child", marker, self.post(edit, fields, name="edit child (save)"), edit)

    @task(2)
    def start_a_screening(self) -> None:
        if self.me["agency_kind"] == "csc":
            return
        child = self.child()
        if not child:
            return
        new = f"{child}screenings/new/"
        page = self.client.get(new, name="new screening", catch_response=True)
        with page as response:
            if response.status_code in {403, 404}:
                response.success()  # this officer may not screen this child
                return
        forms = post_forms(page.text, new)
        if not forms:
            return
        marker = self.marker("screening")
        response = self.post(new, forms[0]["fields"], name="new screening (start)")
        self.record_write("screening", marker, response, new)

    @task(REFERRALS)
    def send_a_referral(self) -> None:
        """A practitioner's CSE1: the details (the concern, what the parents and the young
        person know), then "Check and send"."""
        if self.me["agency_kind"] == "csc":
            return
        child = self.child()
        if not child:
            return
        start = f"{child}referrals/start/"
        fields = self.fields_of(start, "referral (start)")
        if fields is None:
            return
        marker = self.marker("referral")
        answers = {
            "basis_of_concern": f"Seen getting into cars with older men after school ({marker}).",
            "parents_know": "yes",
            "young_person_knows": "yes",
            "young_person_consents": "given",
        }
        fields = [(k, v) for k, v in fields if k not in answers] + list(answers.items())
        response = self.post(start, fields, name="referral (save details)")
        if response.status_code != 302:
            self.record_write("referral", marker, response, start)
            return
        referral = re.sub(r"persons/$", "", urlsplit(response.headers["Location"]).path)
        submit = f"{referral}submit/"
        fields = self.fields_of(submit, "referral (check and send)")
        if fields is None:
            return
        sent = self.post(submit, fields, name="referral (send)")
        self.record_write("referral", marker, sent, submit)
        if sent.status_code == 302:
            SENT.append(referral)

    @task(REFERRALS + 1)
    def decide_a_referral(self) -> None:
        """A CSC social worker records the decision (and the acknowledgement with it) on a
        referral this run sent; two may try the same one: one is recorded, the other is told
        a decision has already been recorded."""
        if self.me["agency_kind"] != "csc" or not SENT:
            return
        referral = random.choice(SENT[-5:])  # the newest: others are deciding them too
        decide = f"{referral}decide/"
        who = ("decided_by", "approved_by", "evidence_judged_by")
        fields = self.fields_of(decide, "referral (decide)", choose=who)
        if fields is None:
            return
        marker = self.marker("decision")
        answers = {
            "message": "We have received your referral.",
            "action_being_taken": "An initial assessment.",
            "outcome": "initial_assessment",
            "rationale": f"Needs an initial assessment ({marker}).",
            "person_well_evidenced": "no",
        }
        fields = [(k, v) for k, v in fields if k not in answers] + list(answers.items())
        time.sleep(random.uniform(0.5, 2))  # reading the referral: others decide meanwhile
        response = self.post(decide, fields, name="referral (decide: save)")
        said = response.text
        if response.status_code == 302:  # the message is on the page it redirects to
            said = self.get(urlsplit(response.headers["Location"]).path, name="referral").text
        self.record_write(
            "decision",
            marker,
            response,
            decide,
            confirmed=response.status_code == 302 and any(d in said for d in DECIDED),
            conflict=DECIDED_ALREADY in said,
        )

    @task(2)
    def write_the_minutes(self) -> None:
        if not self.meetings:
            self.get("/meetings/", name="your meetings")
            return
        for _ in range(3):  # a writer saves section after section
            self.write_a_section()

    def write_a_section(self) -> None:
        meetings = list(self.meetings)
        random.shuffle(meetings)
        for meeting in meetings[:2]:
            minutes = self.get(f"{meeting}minutes/", name="minutes")
            sections = links(minutes.text, re.escape(meeting) + r"minutes/[a-z0-9_-]+/")
            if sections:
                self.save_section(sections[0] if random.random() < 0.7 else random.choice(sections))
                return

    def save_section(self, path: str) -> None:
        page = self.get(path, name="minutes section")
        forms = [f for f in post_forms(page.text, path) if "version" in dict(f["fields"])]
        if not forms:
            return
        marker = self.marker("minutes")
        fields = [(k, v) for k, v in forms[0]["fields"] if k != "text"]
        fields.append(("text", f"Discussed the plan to keep the young person safe ({marker})."))
        time.sleep(random.uniform(0.5, 2))
        response = self.post(path, fields, name="minutes section (save)")
        self.record_write("minutes", marker, response, path)

    @task(1)
    def record_pdf(self) -> None:
        child = self.child()
        if not child:
            return
        response = self.get(f"{child}record.pdf", name="record PDF (ask)")
        waited = 0
        while waited < 120:  # as a browser does: the page's own refresh, until it is ready
            if "being prepared" not in response.text:
                break
            refresh = re.search(r'http-equiv="refresh" content="(\d+)"', response.text)
            seconds = int(refresh.group(1)) if refresh else 2
            time.sleep(seconds)
            waited += seconds
            response = self.get(urlsplit(response.url).path, name="record PDF (waiting page)")
        download = re.search(r'href="([^"]*/download/)"', response.text)
        if download:
            self.get(download.group(1), name="record PDF (download)")


@events.test_stop.add_listener
def save_writes(**_: Any) -> None:
    path = os.environ.get("CSE_LOAD_WRITES")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(WRITES, out, indent=1)
