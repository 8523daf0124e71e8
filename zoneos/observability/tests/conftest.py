import io
import json
import logging

import pytest

from zoneos.observability.logs import ContextFilter, JSONFormatter


class JSONLines:
    """What the production handler writes, one parsed JSON object per line."""

    def __init__(self):
        self.stream = io.StringIO()

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    @property
    def entries(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def of(self, logger: str) -> list[dict]:
        return [e for e in self.entries if e["logger"] == logger]


@pytest.fixture
def json_log():
    """The root logger writes through a handler set up as `LOGGING` sets it up in production."""
    captured = JSONLines()
    handler = logging.StreamHandler(captured.stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
