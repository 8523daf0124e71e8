"""The floor of this machine: the load bench's 200 users, with the same 1-3 s pauses and the same
connection per request, asking for what costs the least. What the machine spends here (locust, the
kernel, gunicorn, Django's middleware) every page of the real mix (locustfile.py) pays before its own work.

    .venv/bin/python bench/load.py --scale 0.1 --worker-class gthread --locustfile floor
"""

from locustfile import Zone, task  # noqa: F401  (locust collects the Zone subclasses below)


class Anonymous(Zone):
    """`/healthz`: the middleware and a two-word answer, no session, no database."""

    role = "park_staff"
    weight = 1

    def on_start(self):
        super().on_start()
        self.client.cookies.clear()

    @task
    def healthz(self):
        self.page("/healthz", "floor: /healthz (anonymous, no database)")


class SignedIn(Zone):
    """`/api/v1/me/`: a signed-in user's session, user and memberships read, and a small JSON answer."""

    role = "park_staff"
    weight = 1

    @task
    def me(self):
        self.page("/api/v1/me/", "floor: /api/v1/me/ (signed in)")
