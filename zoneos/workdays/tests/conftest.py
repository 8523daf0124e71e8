import pytest

from zoneos.workdays import calendar


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test starts and ends with the calendar read afresh (some tests change rows behind the
    signals' back, as another process would)."""
    calendar.invalidate()
    yield
    calendar.invalidate()
