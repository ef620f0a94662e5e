"""Django's PostgreSQL backend with a health check that costs no round trip.

Django's health check (``CONN_HEALTH_CHECKS``) runs ``SELECT 1`` before the first query of
every request: a round trip per answer. A connection that PostgreSQL ended (a restart, a
terminated backend) is told apart without one: the server wrote its farewell (an error
message, then end of file) to the socket, so the socket is readable while no query is
running. Only then is the real check run; a quiet socket is taken as healthy, and a
connection that fails later is closed after the request as always (``errors_occurred``).
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if (self.connection is None or not self.health_check_enabled
                or self.health_check_done or self.pool):
            return
        if not self.is_quiet() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def is_quiet(self) -> bool:
        """Whether the idle connection is open and the server has sent nothing since."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            descriptor = connection.pgconn.socket
        except Exception:  # noqa: BLE001 - psycopg raises OperationalError on a bad socket
            return False
        if hasattr(select, "poll"):  # any descriptor number; select() stops at 1024
            poller = select.poll()
            poller.register(descriptor, select.POLLIN)
            return not poller.poll(0)
        readable, _writable, _failed = select.select([descriptor], [], [], 0)
        return not readable
