"""The HTTP server's listening side: aiohttp's `AppRunner` on sockets that accept every waiting connection.

Why not `web.run_app` (which is what this replaces, keeping its behaviour: signals, graceful shutdown,
keep-alive): since libuv 1.45 (libuv/libuv#3696, bundled by uvloop) a listening socket accepts *one*
connection per turn of the event loop. When the server is busy a turn runs every request in flight — tens
of milliseconds at 64 concurrent requests — so a burst of N new connections (a restart, Telegram opening
its webhook connections, WeChat's servers) waits N turns before the first request on the last of them is
even read. Measured with `bench/webhook.py` (64 users connecting at once, packet capture): the 64th
connection got its first reply after ~0.9 s while requests on open connections took ~80 ms, and wrk's
p99 was mostly those first replies. asyncio's own loop accepts up to the backlog per wake-up; this does the
same on any loop: one reader on each listening socket accepts until nothing is waiting and hands each
connection to `loop.connect_accepted_socket` with aiohttp's own protocol, so everything after the accept
is aiohttp's as before.
"""
from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from typing import Any, Callable

from aiohttp import web
from aiohttp.web_runner import GracefulExit
from yarl import URL

log = logging.getLogger(__name__)

BACKLOG = 128  # aiohttp's and asyncio's default
KEEPALIVE_TIMEOUT = 75.0  # web.run_app's default
# Out of file descriptors or memory: asyncio stops accepting for a second and tries again; so does this.
ACCEPT_RETRY_DELAY = 1.0
_RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


def serve(app: web.Application, host: str | None, port: int, *, reuse_port: bool = False,
          access_log: logging.Logger | None = None, started: Callable[[], None] | None = None,
          loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None) -> None:
    """Run ``app`` until SIGINT/SIGTERM, as `web.run_app` would (graceful shutdown included); ``started``
    is called once the port is open."""

    async def main() -> None:
        runner = web.AppRunner(app, handle_signals=True, access_log=access_log, keepalive_timeout=KEEPALIVE_TIMEOUT)
        await runner.setup()
        try:
            await AcceptAllSite(runner, host, port, reuse_port=reuse_port).start()
            if started is not None:
                started()
            await asyncio.Event().wait()  # until a signal raises GracefulExit
        finally:
            await runner.cleanup()

    # As run_app: after the signal only the main task is cancelled, and run to its end — its `finally` is
    # the graceful shutdown, which lets requests in flight finish — and only then does leaving the
    # Runner cancel whatever is left and close the loop. (Runner.run would cancel every task at once,
    # requests in flight included.)
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        loop = runner.get_loop()
        task = loop.create_task(main())
        try:
            loop.run_until_complete(task)
        except (GracefulExit, KeyboardInterrupt):
            pass
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    loop.run_until_complete(task)


class AcceptAllSite(web.BaseSite):
    """A TCP site like aiohttp's `TCPSite`, whose listening sockets accept every waiting connection at once."""

    __slots__ = ("_host", "_port", "_reuse_port")

    def __init__(self, runner: web.BaseRunner, host: str | None, port: int, *, reuse_port: bool = False,
                 backlog: int = BACKLOG) -> None:
        super().__init__(runner, backlog=backlog)
        self._host, self._port, self._reuse_port = host, port, reuse_port

    @property
    def name(self) -> str:
        port = self._server.sockets[0].getsockname()[1] if self._server is not None else self._port
        return str(URL.build(scheme="http", host=self._host or "0.0.0.0", port=port))

    async def start(self) -> None:
        await super().start()
        assert self._runner.server is not None
        sockets = listen(self._host, self._port, reuse_port=self._reuse_port, backlog=self._backlog)
        self._server = _Listener(asyncio.get_running_loop(), sockets, self._runner.server, self._backlog)  # type: ignore[assignment]


def listen(host: str | None, port: int, *, reuse_port: bool, backlog: int) -> list[socket.socket]:
    """Listening sockets for every address ``host`` resolves to, as `loop.create_server` binds them: one per
    address (IPv6 ones IPv6-only), each made by the standard library's `socket.create_server`."""
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    try:
        for family, _kind, _proto, _name, address in dict.fromkeys(infos):
            sock = socket.create_server(address, family=family, backlog=backlog, reuse_port=reuse_port)
            sockets.append(sock)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class _Listener:
    """The server object `BaseSite` keeps (``close()`` and ``sockets``), over sockets accepted greedily."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sockets: list[socket.socket],
                 factory: Callable[[], Any], backlog: int) -> None:
        self.loop, self.sockets, self.factory, self.backlog = loop, sockets, factory, backlog
        self.connecting: set[asyncio.Task[None]] = set()
        for sock in sockets:
            loop.add_reader(sock.fileno(), self._accept, sock)

    def _accept(self, sock: socket.socket) -> None:
        for _ in range(self.backlog):
            try:
                conn, _address = sock.accept()
            except (BlockingIOError, InterruptedError):
                return  # nothing more is waiting
            except ConnectionAbortedError:
                continue  # that client gave up before it was accepted; others may be waiting
            except OSError as e:
                if e.errno not in _RESOURCE_ERRORS:
                    log.exception("accepting a connection failed")
                    return
                log.error("cannot accept connections (%s): trying again in %.0f s", e.strerror, ACCEPT_RETRY_DELAY)
                self.loop.remove_reader(sock.fileno())
                self.loop.call_later(ACCEPT_RETRY_DELAY, self._resume, sock)
                return
            conn.setblocking(False)
            task = self.loop.create_task(self._connect(conn))
            self.connecting.add(task)
            task.add_done_callback(self.connecting.discard)

    async def _connect(self, conn: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(self.factory, conn)
        except Exception:  # the peer reset it in between, say: that connection only
            log.debug("could not take over an accepted connection", exc_info=True)
            conn.close()

    def _resume(self, sock: socket.socket) -> None:
        if sock.fileno() != -1:  # not closed meanwhile
            self.loop.add_reader(sock.fileno(), self._accept, sock)

    def close(self) -> None:
        for sock in self.sockets:
            if sock.fileno() != -1:
                self.loop.remove_reader(sock.fileno())
                sock.close()
