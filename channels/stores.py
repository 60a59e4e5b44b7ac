"""Small key-value stores for what the channels remember between webhook calls.

One Rasa process can keep this in memory. Several processes behind a load
balancer must share it (a retry of a message may reach another process), so a
Redis URL in the environment switches a store to Redis.
"""

import os
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as aioredis


class Store(Protocol):
    """Expiring string values by key; every method is a coroutine so Redis can back it."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def add(self, key: str) -> bool:
        """Store `key` unless present; True if it was new (atomic, for de-duplication)."""
        ...


class MemoryStore:
    """A bounded LRU map in this process: the oldest entries go first when it is full."""

    def __init__(
        self, max_entries: int, ttl_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl_s = ttl_s
        self._clock = clock

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires_at = entry
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def put(self, key: str, value: str) -> None:
        self._entries[key] = (value, self._clock() + self._ttl_s)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def add(self, key: str) -> bool:
        if await self.get(key) is not None:
            return False
        await self.put(key, "1")
        return True


class RedisStore:
    """Keys under `prefix` in Redis, each expiring after `ttl_s`."""

    def __init__(self, url: str, prefix: str, ttl_s: int) -> None:
        self._url = url
        self._prefix = prefix
        self._ttl_s = ttl_s
        self._client: aioredis.Redis | None = None

    @property
    def client(self) -> aioredis.Redis:
        # Created on first use, inside the server's event loop, never at import.
        if self._client is None:
            self._client = aioredis.Redis.from_url(self._url, decode_responses=True)
        return self._client

    async def get(self, key: str) -> str | None:
        return await self.client.get(self._prefix + key)

    async def put(self, key: str, value: str) -> None:
        await self.client.set(self._prefix + key, value, ex=self._ttl_s)

    async def delete(self, key: str) -> None:
        await self.client.delete(self._prefix + key)

    async def add(self, key: str) -> bool:
        return bool(await self.client.set(self._prefix + key, "1", ex=self._ttl_s, nx=True))


def store_from_env(variable: str, prefix: str, max_entries: int, ttl_s: int) -> Store:
    """Redis if the environment variable `variable` holds a URL, else memory."""
    url = os.environ.get(variable, "").strip()
    if url:
        return RedisStore(url, prefix, ttl_s)
    return MemoryStore(max_entries, ttl_s)
