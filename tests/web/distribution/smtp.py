"""A real SMTP server on loopback for the distribution tests (aiosmtpd), with faults."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Recorder:
    """Keeps every message accepted; ``rcpt``/``data`` may return another reply (a fault)
    or run a hook (e.g. to kill a client at the n-th message)."""

    received: list[Received] = field(default_factory=list)
    rcpt: Callable[[str, int], str | None] | None = None
    data: Callable[[int], str | None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    attempts: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if self.rcpt is not None:
            reply = self.rcpt(address, len(self.received))
            if reply:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.attempts += 1
        if self.data is not None:
            reply = self.data(self.attempts)
            if reply:
                return reply
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          bytes(envelope.original_content or envelope.content)))
        return "250 2.0.0 OK: queued"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [item.message for item in self.received]


@contextmanager
def smtp_server(recorder: Recorder | None = None) -> Iterator[tuple[int, Recorder]]:
    """An aiosmtpd server on 127.0.0.1 (a free port) in a thread."""
    from aiosmtpd.controller import Controller

    recorder = recorder or Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield port, recorder
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never says anything (a hung SMTP)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def wait_until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
