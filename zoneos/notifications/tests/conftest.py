"""A fake group robot (an HTTP server on the loopback address that records what it is sent and answers
as told), channels inside and outside the named world's scope, and task backends to choose from."""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zoneos.notifications.models import Channel, ChannelKind, Event

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
OK = {"errcode": 0, "errmsg": "ok"}


@dataclass
class Received:
    path: str
    query: dict
    body: dict
    headers: dict


@dataclass
class Robot:
    """What the fake robot was sent, and how it answers the next requests (status, JSON body)."""

    base: str
    received: list[Received] = field(default_factory=list)
    status: int = 200
    answer: dict | str = field(default_factory=lambda: dict(OK))
    redirect_to: str = ""

    def url(self, path: str = "/robot/send?access_token=abc") -> str:
        return self.base + path


@pytest.fixture
def robot():
    state = Robot(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            split = urllib.parse.urlsplit(self.path)
            state.received.append(
                Received(
                    path=split.path,
                    query=dict(urllib.parse.parse_qsl(split.query)),
                    body=json.loads(raw.decode()),
                    headers=dict(self.headers),
                )
            )
            if state.redirect_to:
                self.send_response(302)
                self.send_header("Location", state.redirect_to)
                self.end_headers()
                return
            body = state.answer if isinstance(state.answer, str) else json.dumps(state.answer)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _without_the_worlds_notifications(request):
    """These tests count what they notify: what the named world sent while it was built (its appeals
    notify) and any channels it has are removed first."""
    if "world" in request.fixturenames:
        from zoneos.notifications.models import Notification

        request.getfixturevalue("world")
        Notification.objects.all().delete()
        Channel.objects.all().delete()


@pytest.fixture
def channels(world):
    """CH1 on zone Z1 (inside the world's admin's scope) and CH2 on Z2 (outside it)."""
    made = {
        "CH1": Channel.objects.create(
            area=world.Z1,
            name="一号区值班群",
            kind=ChannelKind.WECOM,
            address="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=one",
            events=list(Event.values),
        ),
        "CH2": Channel.objects.create(
            area=world.Z2,
            name="二号区值班群",
            kind=ChannelKind.DINGTALK,
            address="https://oapi.dingtalk.com/robot/send?access_token=two",
            secret="SECtwo",
            events=list(Event.values),
        ),
    }
    world.records.update(made)
    return made
