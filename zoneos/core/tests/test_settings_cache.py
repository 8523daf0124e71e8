"""The cache the settings choose: with REDIS_URL a Redis cache whose client library is installed (a
production install without it would fail on the first cached request), else a file cache."""

import importlib.util
from pathlib import Path

from django.core.cache import CacheHandler

import zoneos

SETTINGS = Path(zoneos.__file__).with_name("settings.py")


def settings_with(monkeypatch, **environ) -> object:
    """The settings module as a fresh process with `environ` would build it (the test's own settings
    are not touched)."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("zoneos_settings_under_test", SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_redis_url_gives_a_redis_cache_whose_client_is_installed(monkeypatch):
    built = settings_with(monkeypatch, REDIS_URL="redis://cache.internal:6380/2")
    assert built.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    cache = CacheHandler(built.CACHES)["default"]
    # Building the client imports the `redis` package; no connection is made until a command is sent.
    client = cache._cache.get_client(write=True)
    assert type(client).__module__.startswith("redis")
    pool = client.connection_pool.connection_kwargs
    assert (pool["host"], pool["port"], pool["db"]) == ("cache.internal", 6380, 2)


def test_without_redis_url_the_cache_is_a_shared_file_cache(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    built = settings_with(monkeypatch)
    assert built.CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
