"""The header's search on the demo zone (target: at most 300 ms an answer): each demo user types a
name, pinyin initials, a credit-code prefix and an appeal's number; the drop-down (htmx) and the API
are timed in-process, three times each.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python manage.py load_demo
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python bench/search.py
"""

import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")

import django  # noqa: E402

django.setup()
logging.disable(logging.CRITICAL)

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402
from zoneos.appeals.models import Appeal  # noqa: E402

USERS = ["admin", "leader", "investment", "parkstaff", "handler", "service", "enterprise", "root"]


def main() -> None:
    setup_test_environment()
    number = Appeal.objects.order_by("pk").values_list("pk", flat=True)[5]
    texts = ["zk", "hzzk", "科技", "惠州", "9144", f"#{number}", str(number), "项目", "dx", "园区"]
    every = []
    for username in USERS:
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        client.get("/")
        times = []
        for text in texts:
            for path, headers in (("/search/", {"HTTP_HX_REQUEST": "true"}), ("/api/v1/search/", {})):
                for _ in range(3):
                    started = time.perf_counter()
                    response = client.get(path, {"q": text}, **headers)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (username, path, response.status_code)
        times.sort()
        every += times
        print(
            f"{username:11s} median {statistics.median(times):6.1f} ms"
            f"  p95 {times[int(len(times) * 0.95) - 1]:6.1f} ms  max {times[-1]:6.1f} ms"
        )
    every.sort()
    print(f"all: median {statistics.median(every):.1f} ms, p95 {every[int(len(every) * 0.95) - 1]:.1f} ms")


if __name__ == "__main__":
    main()
