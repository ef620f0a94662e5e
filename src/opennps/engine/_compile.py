"""The histogram query as SQL text, for a caller that runs it on its own connection.

The Django service holds its answers in PostgreSQL or SQLite and reads them through its
own connection (its transaction, its filters written in the ORM). It needs the engine's
query, not a second connection: :func:`histogram_query` renders the same plan through
Ibis's compiler for the service's SQL dialect, over a relation the caller names (a common
table expression of the rows it selected), and the caller gives the rows it gets back to
:func:`~opennps.engine.gather`. The text depends only on the request's shape, so it is
compiled once per shape and kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

__all__ = ["histogram_query"]

# Dialects whose periods are bucketed by their start: PostgreSQL's EXTRACT gives a numeric
# (since version 14), and its arithmetic made the query twice as slow as DATE_TRUNC.
TRUNCATING = frozenset({"postgres"})


def histogram_query(schema: Mapping[str, str], *, dialect: str, score: str,
                    by: Sequence[str] = (), period: str | None = None,
                    date: str = "opennps_date", weight: str | None = None,
                    relation: str = "opennps_rows") -> str:
    """The histogram query over the relation ``relation`` as SQL of ``dialect``.

    Parameters
    ----------
    schema
        ``{column: Ibis type}`` of the relation's columns, e.g. ``{"score": "int16",
        "opennps_date": "date"}``.
    dialect
        An Ibis SQL dialect: ``"postgres"``, ``"sqlite"``, ``"duckdb"``, ``"trino"``, …
    score, by, period, date, weight
        As for :func:`~opennps.engine.compute_histograms`. There are no filters: the
        relation holds the rows to count.
    relation
        The name the query reads from (quoted as the dialect quotes names).

    The result columns are those of :func:`~opennps.engine.histogram_expr`; give them to
    :func:`~opennps.engine.gather` as ``{column: values}``. Literal ``%`` characters are
    left as they are (a DB-API driver with ``%s`` parameters needs them doubled).

    Examples
    --------
    >>> print(histogram_query({"score": "int16", "channel": "string"}, dialect="postgres",
    ...                       score="score", by=["channel"]))
    SELECT
      "t0"."channel",
      "t0"."score" AS "opennps_score",
      COUNT(*) AS "opennps_count"
    FROM "opennps_rows" AS "t0"
    GROUP BY
      1,
      2
    """
    return _compiled(tuple(schema.items()), dialect, score, tuple(by), period, date, weight,
                     relation)


@lru_cache(maxsize=256)
def _compiled(schema: tuple[tuple[str, str], ...], dialect: str, score: str,
              by: tuple[str, ...], period: str | None, date: str, weight: str | None,
              relation: str) -> str:
    import ibis

    from opennps.engine._expr import ibis_types, render_expr
    from opennps.engine._plan import plan_histogram

    table = ibis.table(dict(schema), name=relation)
    plan = plan_histogram(ibis_types(table), score=score, by=by, period=period, date=date,
                          weight=weight)
    expr = render_expr(table, plan, truncate=dialect in TRUNCATING)
    return str(ibis.to_sql(expr, dialect=dialect))
