"""Date formats: detected once from a sample, then applied in SQL by DuckDB.

Each format is a SQL expression over the trimmed raw text (``NULL`` when empty). The
detection runs every candidate expression over up to 1,000 sample values in DuckDB itself
and keeps the one that reads the most, so the sample is judged by exactly the code that
later reads the whole column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from opennps._i18n import N_

__all__ = ["DATE_FORMATS", "INTEGER_TYPES", "DateFormat", "choose_date_format",
           "native_date_format"]

INTEGER_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                           "USMALLINT", "UINTEGER", "UBIGINT"})

_TIME = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f")
_OFFSET = re.compile(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$",
                     re.IGNORECASE)
_SQL_OFFSET = r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([Zz]|[+-]\d{2}(:?\d{2})?)$"
# DuckDB reads "10:00:00+01:00" and "10:00:00+0100" but not "10:00:00 +0100" (Delighted's
# exports): the space before the offset goes.
_SQL_SPACE = r"\s+([+-]\d{2}(:?\d{2})?|[Zz])$"


def _braces(pattern: str) -> str:
    return pattern.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True)
class DateFormat:
    """One way of writing dates, as a DuckDB expression producing a TIMESTAMP.

    ``template`` holds ``{x}`` where the trimmed text goes; ``label`` is what users read
    (e.g. "DD.MM.YYYY").
    """

    key: str
    label: str
    template: str

    def sql(self, text: str) -> str:
        """Return the expression reading ``text`` (a SQL expression) as a timestamp."""
        return self.template.format(x=text)


def _strptime(key: str, label: str, date: str, *extra: str) -> DateFormat:
    formats = [date + time for time in _TIME] + list(extra)
    listed = ", ".join(f"'{fmt}'" for fmt in formats)
    return DateFormat(key, label, f"try_strptime({{x}}, [{listed}])")


# DuckDB's cast also reads "2025/01/31"; YYYY/MM/DD below is then never needed on its own.
ISO = DateFormat("iso", N_("YYYY-MM-DD (ISO 8601)"), "TRY_CAST({x} AS TIMESTAMP)")
ISO_OFFSET = DateFormat(
    "iso", N_("YYYY-MM-DD (ISO 8601) with UTC offsets, converted to UTC"),
    f"CASE WHEN regexp_matches({{x}}, '{_braces(_SQL_OFFSET)}') "
    f"THEN make_timestamp(epoch_us(TRY_CAST(regexp_replace({{x}}, '{_braces(_SQL_SPACE)}', "
    "'\\1') AS TIMESTAMPTZ))) "
    "ELSE TRY_CAST({x} AS TIMESTAMP) END",
)
DATE_FORMATS: tuple[DateFormat, ...] = (
    ISO,
    _strptime("d.m.y", N_("DD.MM.YYYY"), "%d.%m.%Y"),
    _strptime("d/m/y", N_("DD/MM/YYYY"), "%d/%m/%Y"),
    _strptime("m/d/y", N_("MM/DD/YYYY"), "%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"),
    _strptime("y/m/d", N_("YYYY/MM/DD"), "%Y/%m/%d"),
    _strptime("y.m.d", N_("YYYY.MM.DD"), "%Y.%m.%d"),
    _strptime("d-m-y", N_("DD-MM-YYYY"), "%d-%m-%Y"),
    DateFormat("unix-s", N_("Unix time in seconds"),
               "CASE WHEN length({x}) BETWEEN 9 AND 11 "
               "THEN make_timestamp(TRY_CAST({x} AS BIGINT) * 1000000) END"),
    DateFormat("unix-ms", N_("Unix time in milliseconds"),
               "CASE WHEN length({x}) BETWEEN 12 AND 14 "
               "THEN make_timestamp(TRY_CAST({x} AS BIGINT) * 1000) END"),
)


def _order(day_first: bool | None) -> list[DateFormat]:
    formats = list(DATE_FORMATS)
    if day_first is False:  # month first wins ties against day first (US exports)
        us = next(f for f in formats if f.key == "m/d/y")
        formats.remove(us)
        formats.insert(1, us)
    return formats


def choose_date_format(con: duckdb.DuckDBPyConnection, values: Sequence[str], *,
                       day_first: bool | None = None) -> tuple[DateFormat, int]:
    """Return the format that reads the most of ``values``, and how many it reads.

    Ties go to the earlier format: ISO first, then day-first orders before month-first,
    unless ``day_first`` is False (SurveyMonkey's US dates). So "01/02/2025" alone is
    1 February; a sample that also holds "01/31/2025" proves month-first.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> fmt, n = choose_date_format(con, ["05/01/2025", "31/01/2025"])
    >>> fmt.label, n
    ('DD/MM/YYYY', 2)
    >>> choose_date_format(con, ["05/01/2025", "01/31/2025"])[0].label
    'MM/DD/YYYY'
    >>> choose_date_format(con, ["1713497396"])[0].key
    'unix-s'
    """
    formats = _order(day_first)
    if any(_OFFSET.search(value.strip()) for value in values):
        formats[0] = ISO_OFFSET
    if not values:
        return formats[0], 0
    text = "NULLIF(trim(v), '')"
    counts = ", ".join(f"count({fmt.sql(text)})" for fmt in formats)
    # The sample goes in as a literal list: binding a parameter makes DuckDB import pandas
    # (a quarter of a second of every command's start). A NUL cannot be in SQL text; it
    # becomes U+FFFD, which no format reads either.
    sample = ", ".join("'" + value.replace("\x00", "\ufffd").replace("'", "''") + "'"
                       for value in values)
    row = con.execute(f"SELECT {counts} FROM (SELECT unnest([{sample}]::VARCHAR[]) AS v)"
                      ).fetchone()
    parsed = [int(count) for count in row] if row else [0] * len(formats)
    best = max(range(len(formats)), key=lambda index: (parsed[index], -index))
    return formats[best], parsed[best]


def native_date_format(duckdb_type: str, sample_max: int | None = None) -> DateFormat | None:
    """Return the format for a column DuckDB already types (Parquet), or None for text.

    Timestamps and dates are cast; a time zone is converted to UTC; integers are Unix
    time, in milliseconds when the sample's largest value exceeds 10^11.

    Examples
    --------
    >>> native_date_format("DATE").sql('"d"')
    'CAST("d" AS TIMESTAMP)'
    >>> native_date_format("VARCHAR") is None
    True
    """
    kind = duckdb_type.upper()
    if kind.startswith("TIMESTAMP WITH TIME ZONE") or kind == "TIMESTAMPTZ":
        return DateFormat("native", N_("timestamp with time zone (converted to UTC)"),
                          "make_timestamp(epoch_us({x}))")
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return DateFormat("native", N_("date and time type of the file"),
                          "CAST({x} AS TIMESTAMP)")
    if kind in INTEGER_TYPES:
        if sample_max is not None and sample_max > 10**11:
            return DateFormat("unix-ms", N_("Unix time in milliseconds"),
                              "make_timestamp(CAST({x} AS BIGINT) * 1000)")
        return DateFormat("unix-s", N_("Unix time in seconds"),
                          "make_timestamp(CAST({x} AS BIGINT) * 1000000)")
    return None
