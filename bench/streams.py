"""The live scenarios' client: a thousand open event streams (SSE) from one process, and the writes
whose events they wait for.

asyncio and aiohttp, so an open stream costs a task and a socket, not a thread. The client runs
its own event loop in a thread of the benchmark's process, and the rest of the benchmark calls it
as blocking functions (``StreamClient.open``, ``writes``, ``close``). Each stream parses what
arrives as docs/api.md's "Live events" says it comes (``retry:``, ``id:``, ``event:``, ``data:``,
comment lines, a blank line ending an event) and notes, for each event whose data names a
``request_id`` of this client's, when it arrived. A write carries an ``X-Request-ID`` the client
chose and notes when it was sent, on the same clock (``time.perf_counter``), so a delivery's
delay runs from "write sent" to "event arrived" on that stream.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

# Streams opened at once: the way a morning's tabs come, not a thousand replays queued in one go.
OPEN_CONCURRENCY = 32
WRITE_CONNECTIONS = 8
OPEN_TIMEOUT_S = 30  # a stream whose first bytes take longer counts as not opened
LAG_TICK_S = 0.02  # how often the client's loop checks how late it runs


def raise_open_file_limit(needed: int) -> int:
    """Raise this process's open-file soft limit to its hard limit (children, wrk among them,
    inherit it); the soft limit now. A thousand streams are a thousand sockets, and 1,024 is a
    common default. Raises when even the hard limit is too low for ``needed``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(soft, 65536) if hard == resource.RLIM_INFINITY else hard
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        soft = wanted
    if soft < needed:
        raise RuntimeError(f"{needed} open files needed, the hard limit is {hard} (ulimit -Hn)")
    return soft


@dataclass(frozen=True)
class Target:
    """What one stream opens: a room's events (or the caller's own, room None) as ``user``."""

    room: int | None
    user: int
    token: str

    @property
    def path(self) -> str:
        return f"/api/v1/rooms/{self.room}/events" if self.room is not None else "/api/v1/users/me/events"


@dataclass
class Stream:
    """One open stream and what came on it."""

    target: Target
    status: int = 0  # the HTTP status of the open; 0 while unanswered (or never answered)
    opened_at: float = 0.0  # when its first bytes came: from then on it is live
    closed: bool = False
    error: str | None = None
    last_id: str | None = None
    comments: int = 0  # keep-alive comment lines
    kinds: Counter = field(default_factory=Counter)  # events by their `event:`
    arrivals: dict[str, float] = field(default_factory=dict)  # request id -> when its event came

    @property
    def live(self) -> bool:
        return bool(self.opened_at) and not self.closed


@dataclass
class Write:
    """One write sent, and its answer."""

    request_id: str
    room: int
    sent: float
    status: int = 0  # 0: no answer (see error)
    answered: float = 0.0
    error: str | None = None


@dataclass
class PlannedWrite:
    """A write to make: ``method path`` as ``token`` with the JSON ``body``, about ``room``."""

    room: int
    method: str
    path: str
    token: str
    body: dict


class StreamClient:
    """``with StreamClient(base_url) as client: streams = client.open(targets) ...``"""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        # Request ids of this client's writes start with this, so no one else's change is counted.
        self.prefix = f"bench-live-{secrets.token_hex(4)}-"
        self._serial = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bench-streams", daemon=True)
        self._tasks: dict[int, asyncio.Task] = {}  # id(stream) -> the task holding it
        self._stream_session: aiohttp.ClientSession | None = None
        self._write_session: aiohttp.ClientSession | None = None
        self._lag_task: asyncio.Task | None = None
        self.lag = 0.0  # the longest the loop ran late since reset_lag(), in seconds

    def __enter__(self) -> StreamClient:
        self._thread.start()
        self._call(self._start())
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self._call(self._stop(), timeout=60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def _call(self, coroutine, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _start(self) -> None:
        # One connection per stream (no limit); a few kept-alive ones for the writes.
        self._stream_session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=None),
        )
        self._write_session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=WRITE_CONNECTIONS),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        self._lag_task = asyncio.create_task(self._watch_lag())

    async def _watch_lag(self) -> None:
        """Note how late the loop wakes: an arrival is noted when the loop gets to it, so this
        bounds what the client itself adds to a delay (parsing a thousand events, the machine
        busy)."""
        while True:
            due = time.perf_counter() + LAG_TICK_S
            await asyncio.sleep(LAG_TICK_S)
            self.lag = max(self.lag, time.perf_counter() - due)

    def reset_lag(self) -> None:
        self.lag = 0.0

    async def _stop(self) -> None:
        await self._cancel([*self._tasks.values(), *([self._lag_task] if self._lag_task else [])])
        for session in (self._stream_session, self._write_session):
            if session:
                await session.close()

    # Streams

    def open(self, targets: list[Target], concurrency: int = OPEN_CONCURRENCY) -> tuple[list[Stream], float]:
        """Open a stream for each target, ``concurrency`` at a time; return them once each is live
        or has failed (its ``status`` and ``error`` say how), and the seconds that took."""
        started = time.perf_counter()
        streams = [Stream(target) for target in targets]
        self._call(self._open_all(streams, concurrency), timeout=OPEN_TIMEOUT_S * (1 + len(targets) // concurrency))
        return streams, time.perf_counter() - started

    async def _open_all(self, streams: list[Stream], concurrency: int) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def open_one(stream: Stream) -> None:
            async with gate:
                ready = self._loop.create_future()
                self._tasks[id(stream)] = asyncio.create_task(self._hold(stream, ready))
                try:
                    await asyncio.wait_for(ready, OPEN_TIMEOUT_S)
                except TimeoutError:
                    stream.error = stream.error or "no first bytes in time"

        await asyncio.gather(*(open_one(stream) for stream in streams))

    async def _hold(self, stream: Stream, ready: asyncio.Future) -> None:
        """Open ``stream`` and read it until it ends or is cancelled."""
        assert self._stream_session is not None
        headers = {"Authorization": f"Bearer {stream.target.token}", "Accept": "text/event-stream"}
        try:
            async with self._stream_session.get(self.base_url + stream.target.path, headers=headers) as response:
                stream.status = response.status
                if response.status != 200:
                    stream.error = f"status {response.status}"
                    return
                await self._read(stream, response.content, ready)
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:  # ValueError: a line too long
            stream.error = stream.error or error.__class__.__name__
        finally:
            stream.closed = True
            if not ready.done():
                ready.set_result(None)

    async def _read(self, stream: Stream, content: aiohttp.StreamReader, ready: asyncio.Future) -> None:
        """Parse the event stream as it comes; an event is what lies between blank lines."""
        kind, data, arrived = "message", [], 0.0
        async for raw in content:
            now = time.perf_counter()
            if not ready.done():
                stream.opened_at = now  # its first bytes (retry:): the gateway holds it from here on
                ready.set_result(None)
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                if data:
                    self._dispatch(stream, kind, "\n".join(data), arrived)
                kind, data = "message", []
                continue
            if line.startswith(":"):
                stream.comments += 1
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                if not data:
                    arrived = now  # the event came with its first data line
                data.append(value)
            elif name == "event":
                kind = value
            elif name == "id":
                stream.last_id = value
        # The server ended it (revoked, its worker stopping): _hold marks it closed.

    def _dispatch(self, stream: Stream, kind: str, data: str, arrived: float) -> None:
        stream.kinds[kind] += 1
        if self.prefix not in data:
            return  # presence, someone else's change: not one of the writes measured
        try:
            request_id = json.loads(data).get("request_id")
        except (ValueError, AttributeError):
            return
        if isinstance(request_id, str) and request_id.startswith(self.prefix):
            stream.arrivals.setdefault(request_id, arrived)

    def close(self, streams: list[Stream]) -> None:
        """Close ``streams`` (the connections drop, as a closed tab's do)."""
        self._call(self._cancel([t for s in streams if (t := self._tasks.pop(id(s), None))]), timeout=60)

    @staticmethod
    async def _cancel(tasks: list[asyncio.Task]) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # Writes

    def request_id(self) -> str:
        self._serial += 1
        return f"{self.prefix}{self._serial}"

    def writes(self, planned: list[PlannedWrite], spacing: tuple[float, float]) -> list[Write]:
        """Send ``planned`` writes one after the other, each ``spacing`` (a random number of
        seconds between the two) after the one before was sent, without waiting for answers;
        return them once every one is answered."""
        return self._call(self._writes(planned, spacing), timeout=len(planned) * (spacing[1] + 1) + 60)

    async def _writes(self, planned: list[PlannedWrite], spacing: tuple[float, float]) -> list[Write]:
        tasks = []
        pace = random.Random(len(planned))
        for index, write in enumerate(planned):
            if index:
                await asyncio.sleep(pace.uniform(*spacing))
            tasks.append(asyncio.create_task(self._write(write)))
        return list(await asyncio.gather(*tasks))

    def write(self, planned: PlannedWrite) -> Write:
        """Send one write and wait for its answer."""
        return self._call(self._write(planned), timeout=60)

    async def _write(self, planned: PlannedWrite) -> Write:
        assert self._write_session is not None
        request_id = self.request_id()
        headers = {
            "Authorization": f"Bearer {planned.token}",
            "Accept": "application/json, application/problem+json",
            "X-Request-ID": request_id,
        }
        write = Write(request_id, planned.room, time.perf_counter())
        try:
            async with self._write_session.request(
                planned.method, self.base_url + planned.path, json=planned.body, headers=headers
            ) as response:
                await response.read()
                write.status = response.status
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            write.error = error.__class__.__name__
        write.answered = time.perf_counter()
        return write


def wait_for(condition, timeout: float, interval: float = 0.01) -> bool:
    """Wait until ``condition()`` holds, at most ``timeout`` seconds; whether it did."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True
