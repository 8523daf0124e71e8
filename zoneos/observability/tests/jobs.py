"""Tasks and views that only the tests use: they log, so that a test can read what they wrote."""

import logging

from django.http import HttpResponse
from django.urls import path

from zoneos.observability.tasks import task
from zoneos.urls import urlpatterns as zoneos_urlpatterns

log = logging.getLogger("zoneos.tests.jobs")


@task()
def say(word: str) -> None:
    log.info("the task says %s", word)


@task()
async def say_later(word: str) -> None:
    log.info("the async task says %s", word)


@task()
def fail() -> None:
    raise RuntimeError("the task failed on purpose")


def speak(request):
    log.warning("the view speaks\nover two lines")
    say.enqueue("hello")
    return HttpResponse("spoken")


def crash(request):
    raise ValueError("the view failed on purpose")


urlpatterns = [
    path("tests/speak/", speak, name="test-speak"),
    path("tests/crash/", crash, name="test-crash"),
    *zoneos_urlpatterns,
]
