"""The `slow` marker: tests that start processes and so take seconds (`-m "not slow"` leaves them out)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts processes; takes seconds rather than milliseconds")
