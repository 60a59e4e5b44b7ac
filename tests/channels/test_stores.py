"""The memory and Redis stores behind de-duplication and remembered options (channels/stores.py)."""

import uuid
from collections.abc import Iterator

import pytest
import redis

from channels.stores import MemoryStore, RedisStore, store_from_env

REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_add_is_true_only_the_first_time():
    store = MemoryStore(max_entries=10, ttl_s=60)
    assert await store.add("wamid.1") is True
    assert await store.add("wamid.1") is False
    assert await store.add("wamid.2") is True


async def test_the_least_recently_used_entry_goes_when_full():
    store = MemoryStore(max_entries=2, ttl_s=60)
    await store.put("a", "1")
    await store.put("b", "2")
    assert await store.get("a") == "1"  # "a" is now more recent than "b"
    await store.put("c", "3")
    assert [await store.get(key) for key in "abc"] == ["1", None, "3"]


async def test_entries_expire():
    clock = Clock()
    store = MemoryStore(max_entries=10, ttl_s=60, clock=clock)
    await store.put("a", "1")
    clock.now += 59
    assert await store.get("a") == "1"
    clock.now += 1
    assert await store.get("a") is None
    assert await store.add("a") is True


async def test_delete():
    store = MemoryStore(max_entries=10, ttl_s=60)
    await store.put("a", "1")
    await store.delete("a")
    await store.delete("never-there")
    assert await store.get("a") is None


def test_redis_is_chosen_by_the_environment(monkeypatch):
    monkeypatch.setenv("TEST_STORE_REDIS_URL", REDIS_URL)
    assert isinstance(store_from_env("TEST_STORE_REDIS_URL", "p:", 10, 60), RedisStore)
    monkeypatch.setenv("TEST_STORE_REDIS_URL", "")
    assert isinstance(store_from_env("TEST_STORE_REDIS_URL", "p:", 10, 60), MemoryStore)
    monkeypatch.delenv("TEST_STORE_REDIS_URL")
    assert isinstance(store_from_env("TEST_STORE_REDIS_URL", "p:", 10, 60), MemoryStore)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the local Redis; its keys are removed afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"test:{uuid.uuid4().hex}:"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


async def test_redis_store(redis_prefix):
    store = RedisStore(REDIS_URL, redis_prefix, ttl_s=60)
    assert await store.add("wamid.1") is True
    assert await store.add("wamid.1") is False
    await store.put("alice", "options")
    assert await store.get("alice") == "options"
    assert 0 < await store.client.ttl(f"{redis_prefix}alice") <= 60
    await store.delete("alice")
    assert await store.get("alice") is None
    await store.client.close()
