"""histogram_expr: one backend-neutral GROUP BY, and its checks of the request."""

from __future__ import annotations

from datetime import date

import ibis
import pytest

from opennps.engine import Filters, histogram_expr
from opennps.errors import InvalidArgumentError, MissingColumnError

ANSWERS = ibis.table({
    "Score": "string", "region": "string", "plan": "string", "visits": "int64",
    "opennps_date": "timestamp", "opennps_date_invalid": "boolean", "answered_on": "date",
}, name="answers")


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "trino", "snowflake", "bigquery"])
def test_a_whole_analysis_is_one_group_by_on_any_backend(dialect: str) -> None:
    expr = histogram_expr(ANSWERS, score="Score", by=["region", "plan"], period="week",
                          filters=Filters(since=date(2025, 1, 1), equals={"visits": ("1", "2")}))
    sql = ibis.to_sql(expr, dialect=dialect).upper()
    assert sql.count("GROUP BY") == 1
    assert sql.count("ANSWERS") == 1  # the data are scanned once
    assert "UNION" not in sql and "JOIN" not in sql


def test_result_columns_are_groups_period_score_count_and_bad_dates() -> None:
    expr = histogram_expr(ANSWERS, score="Score", by=["plan"], period="month")
    assert expr.columns == ("plan", "opennps_period", "opennps_score", "opennps_count",
                            "opennps_invalid_dates")


def test_without_a_flag_column_there_is_no_bad_date_count() -> None:
    expr = histogram_expr(ANSWERS, score="Score", period="day", date="answered_on")
    assert expr.columns == ("opennps_period", "opennps_score", "opennps_count")


def test_no_date_column_is_needed_without_a_period_or_date_range() -> None:
    table = ibis.table({"score": "int64"}, name="t")
    assert histogram_expr(table, score="score").columns == ("opennps_score", "opennps_count")


def test_the_score_column_can_also_be_a_group() -> None:
    expr = histogram_expr(ANSWERS, score="Score", by=["Score"])
    assert expr.columns[:2] == ("Score", "opennps_score")


@pytest.mark.parametrize(("query", "column"), [
    ({"score": "score"}, "score"),
    ({"score": "Score", "by": ["Region"]}, "Region"),
    ({"score": "Score", "period": "month", "date": "created"}, "created"),
    ({"score": "Score", "filters": Filters(since=date(2025, 1, 1)), "date": "created"},
     "created"),
    ({"score": "Score", "filters": Filters(equals={"tier": ("gold",)})}, "tier"),
])
def test_unknown_columns_are_named_with_the_columns_there_are(query: dict[str, object],
                                                              column: str) -> None:
    with pytest.raises(MissingColumnError) as caught:
        histogram_expr(ANSWERS, **query)  # type: ignore[arg-type]
    assert caught.value.column == column
    assert caught.value.found == ("Score", "region", "plan", "visits", "answered_on")
    assert str(caught.value) == (
        f"no column {column!r}; the columns are 'Score', 'region', 'plan', 'visits', "
        "'answered_on'. Use one of those names (they are case-sensitive)."
    )


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="period must be one of day, week, month, "
                                                   "quarter, year, got 'hour'"):
        histogram_expr(ANSWERS, score="Score", period="hour")


def test_a_period_needs_a_date_column() -> None:
    with pytest.raises(InvalidArgumentError, match="column 'region' holds string values, not "
                                                   "dates; a period needs a date or timestamp"):
        histogram_expr(ANSWERS, score="Score", period="month", date="region")


def test_a_date_range_needs_a_date_column() -> None:
    with pytest.raises(InvalidArgumentError, match="column 'plan' holds string values, not "
                                                   "dates; a date range needs"):
        histogram_expr(ANSWERS, score="Score", date="plan",
                       filters=Filters(until=date(2025, 1, 1)))


def test_a_column_grouped_twice_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="each column can be grouped by once, got "
                                                   "'plan', 'region', 'plan'"):
        histogram_expr(ANSWERS, score="Score", by=["plan", "region", "plan"])


def test_grouping_by_a_result_column_name_is_refused() -> None:
    table = ibis.table({"score": "int64", "opennps_count": "int64"}, name="t")
    with pytest.raises(InvalidArgumentError, match="cannot group by column 'opennps_count'"):
        histogram_expr(table, score="score", by=["opennps_count"])


def test_filter_values_are_checked_against_the_column_type() -> None:
    with pytest.raises(InvalidArgumentError, match="filter on column 'visits': got 'many'"):
        histogram_expr(ANSWERS, score="Score", filters=Filters(equals={"visits": ("many",)}))
