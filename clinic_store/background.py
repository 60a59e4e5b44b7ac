"""A piece of work repeated every few seconds (or hours) in the background of a server."""

import asyncio


class PeriodicTask:
    """Runs `run_once` now and then every `interval_s` seconds on the running loop, until stopped.

    `run_once` must not raise: a failure is logged there, and the next round tries again.
    """

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._task: asyncio.Task | None = None

    async def run_once(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        """Start on the running event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await self.run_once()
            await asyncio.sleep(self.interval_s)
