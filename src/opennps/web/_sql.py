"""One statement of the answer path, executed as cheaply as the database allows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """Execute ``sql`` (``%s`` placeholders) on the default connection; its first row.

    On PostgreSQL the parameters are bound by the server and the statement is prepared
    on the connection after a few uses (psycopg's ``prepare_threshold``), so neither
    psycopg nor PostgreSQL parses it again: Django's cursor binds every value into the
    text on the client, which PostgreSQL then parses and plans anew. Under
    ``assertNumQueries`` or ``DEBUG`` it goes through Django's cursor, which logs it.
    """
    if connection.vendor != "postgresql" or connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()  # type: ignore[no-any-return]
    import psycopg

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=None)
        return cursor.fetchone()
