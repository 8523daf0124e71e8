"""The people of a province's high-tech zones at work, for locust: leaders on their dashboards,
investment officers in the project lists and records, supervisors in the key-project summary filing
monthly figures, service officers and department handlers in the appeal queues taking steps, park staff
in the registry with an import now and then, statisticians with an export now and then.

Each simulated user signs in as one of the load accounts of its role (bench/load_data.py) with a
session made for it beforehand by bench/load.py, which writes the accounts, their sessions and the
records each may open to the JSON file named by ZONEOS_LOAD_FIXTURE; every user waits 1 to 3 s
between requests. Requests are named by page kind ("page: ...", "api: ...", "step: ...", "write: ...",
"import: ...", "export: ..."), the rows of bench/load.py's table.

    ZONEOS_LOAD_FIXTURE=fixture.json locust -f bench/load/locustfile.py --host http://127.0.0.1:8042
"""

import json
import os
import random
import secrets
import time

from locust import HttpUser, between, task

FIXTURE = json.loads(open(os.environ["ZONEOS_LOAD_FIXTURE"], encoding="utf-8").read())  # noqa: SIM115
YEAR = FIXTURE["year"]


class Zone(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.account = random.choice(FIXTURE["accounts"][self.role])
        self.csrf = secrets.token_hex(16)  # a CSRF secret of our own: cookie and header agree
        self.client.cookies.set("sessionid", self.account["session"])
        self.client.cookies.set("csrftoken", self.csrf)
        # As nginx talks to gunicorn (a new connection per request, no keep-alive upstream): under
        # overload gthread closes kept-alive connections it has not read in time, with a reset.
        self.client.headers["Connection"] = "close"

    def page(self, url, name):
        return self.client.get(url, name=name)

    def post(self, url, name, *, ok=(200, 201), expected=(), **kwargs):
        """A write; an answer in `expected` (another user was first: 409) is counted under its own
        name as a success, anything outside `ok` and `expected` as a failure."""
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + "/"}
        with self.client.post(url, name=name, headers=headers, catch_response=True, **kwargs) as response:
            if response.status_code in ok:
                response.success()
            elif response.status_code in expected:
                response.success()
                response.request_meta["name"] = f"{name} ({response.status_code}: taken by another)"
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            return response

    def pick(self, kind):
        return random.choice(self.account[kind])


class Leader(Zone):
    role = "leader"
    weight = 10

    @task(4)
    def home(self):
        self.page("/", "page: home dashboard")

    @task(3)
    def stats(self):
        self.page(f"/dashboard/?area={self.account['area']}", "page: statistics dashboard")

    @task(2)
    def overview_api(self):
        self.page(f"/api/v1/stats/overview/?area={self.account['area']}", "api: statistics overview")

    @task(2)
    def funnel(self):
        self.page("/projects/funnel/", "page: investment funnel")

    @task(2)
    def supervision(self):
        self.page("/supervision/", "page: key-project summary")


class InvestmentOfficer(Zone):
    role = "investment_officer"
    weight = 20

    @task(4)
    def projects(self):
        stage = random.choice(["lead", "negotiating", "signed", "started"])
        self.page(f"/projects/?stage={stage}", "page: project list, filtered")

    @task(2)
    def search(self):
        self.page(f"/projects/?q={random.choice(['项目', 'L00', '投资方'])}", "page: project list, filtered")

    @task(5)
    def project(self):
        self.page(f"/projects/{self.pick('projects')}/", "page: project record")

    @task(2)
    def board(self):
        self.page(f"/projects/board/?area={self.account['area']}", "page: project board")

    @task(2)
    def api(self):
        self.page(f"/api/v1/projects/?area={self.account['area']}", "api: project list")


class Supervisor(Zone):
    role = "supervisor"
    weight = 15

    @task(4)
    def summary(self):
        self.page(f"/supervision/?area={self.account['area']}", "page: key-project summary")

    @task(2)
    def summary_api(self):
        self.page(
            f"/api/v1/supervision/summary/?area={self.account['area']}&month={YEAR}-08",
            "api: key-project summary",
        )

    @task(4)
    def key_project(self):
        self.page(f"/supervision/projects/{self.pick('key_projects')}/", "page: key-project record")

    @task(2)
    def monthly_entry(self):
        amount = f"{random.randint(1, 500) * 10000}.00"
        self.post(
            f"/api/v1/key-projects/{self.pick('key_projects')}/reports/",
            "write: monthly figures",
            json={"month": f"{YEAR}-{random.randint(9, 12):02d}", "completed": amount},
        )


class ServiceOfficer(Zone):
    role = "service_officer"
    weight = 10

    @task(4)
    def queue(self):
        self.page("/appeals/", "page: appeal list")

    @task(2)
    def overdue(self):
        self.page("/appeals/?overdue=true", "page: appeal list, filtered")

    @task(3)
    def appeal(self):
        self.page(f"/appeals/{self.pick('appeals')}/", "page: appeal record")

    @task(1)
    def workbench(self):
        self.page("/workbench/", "page: service workbench")

    @task(1)
    def desk(self):
        self.page("/appeals/dashboard/", "page: appeal dashboard")


class Handler(Zone):
    role = "handler"
    weight = 20

    @task(4)
    def queue(self):
        self.page("/appeals/", "page: appeal list")

    @task(2)
    def api(self):
        self.page("/api/v1/appeals/?status=assigned", "api: appeal list")

    @task(3)
    def appeal(self):
        self.page(f"/appeals/{self.pick('appeals')}/", "page: appeal record")

    @task(2)
    def step(self):
        """Sign for an appeal waiting in the department, or start one signed for."""
        status, step = random.choice([("assigned", "sign_for"), ("signed_for", "start")])
        listed = self.client.get(
            f"/api/v1/appeals/?department={self.account['department']}&status={status}&page_size=20",
            name="api: appeal list",
        )
        if listed.status_code != 200 or not listed.json()["results"]:
            return
        appeal = random.choice(listed.json()["results"])["id"]
        self.post(f"/api/v1/appeals/{appeal}/{step}/", f"step: appeal {step}", expected=(409,), json={})


class ParkStaff(Zone):
    role = "park_staff"
    weight = 20

    @task(40)
    def enterprises(self):
        query = random.choice(
            [
                "industry_section=C&status=active",
                "label=high_tech",
                "size_class=small",
                f"q={random.choice(['科技', 'kj', '佛山', '电子'])}",
            ]
        )
        self.page(f"/enterprises/?{query}", "page: enterprise list, filtered")

    @task(50)
    def enterprise(self):
        self.page(f"/enterprises/{self.pick('enterprises')}/", "page: enterprise record")

    @task(20)
    def api(self):
        self.page(f"/api/v1/enterprises/?area={self.account['area']}", "api: enterprise list")

    @task(10)
    def home(self):
        self.page("/", "page: home dashboard")

    @task(1)
    def import_csv(self):
        """A small csv of the park's enterprises (new addresses), checked by the worker, then imported."""
        rows = random.sample(self.account["import_rows"], min(20, len(self.account["import_rows"])))
        stamp = int(time.time())
        lines = ["统一社会信用代码,企业名称,所在园区,地址"]
        lines += [f"{uscc},{name},{area},园区路{stamp % 1000}号" for uscc, name, area in rows]
        upload = ("enterprises.csv", "\n".join(lines).encode("utf-8"), "text/csv")
        response = self.post(
            "/api/v1/imports/", "import: upload", files={"file": upload}, data={"kind": "enterprises"}
        )
        if response.status_code != 201:
            return
        job = response.json()["id"]
        for _ in range(10):
            time.sleep(1)
            status = self.client.get(f"/api/v1/imports/{job}/", name="import: status").json()["status"]
            if status == "ready":
                self.post(f"/api/v1/imports/{job}/commit/", "import: commit")
                return
            if status not in ("queued", "checking"):
                return


class Statistician(Zone):
    role = "statistician"
    weight = 5

    @task(10)
    def stats(self):
        self.page(f"/dashboard/?area={self.account['area']}", "page: statistics dashboard")

    @task(10)
    def enterprises(self):
        self.page("/enterprises/?label=high_tech&status=active", "page: enterprise list, filtered")

    @task(6)
    def indicators(self):
        self.page(f"/api/v1/indicators/?year={YEAR - 1}&within={self.account['area']}", "api: yearly figures")

    @task(1)
    def export(self):
        park = random.choice(FIXTURE["parks_of"][str(self.account["area"])])
        self.page(f"/enterprises/export/?as=csv&area={park}", "export: enterprises csv")
