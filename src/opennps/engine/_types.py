"""Column types as the engine's rules see them, read from Ibis or from DuckDB.

The query's rules (which filter values a column accepts, which columns hold dates) depend
only on a few kinds of type. Both query paths describe their columns this way, so the
rules are written once (:mod:`opennps.engine._plan`) whichever path runs the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import ibis.expr.datatypes as dt

__all__ = ["ColumnType", "Kind", "duckdb_column_type", "ibis_column_type"]

Kind = Literal["string", "integer", "floating", "decimal", "boolean", "date", "timestamp",
               "other"]


@dataclass(frozen=True)
class ColumnType:
    """What the engine needs to know of a column's type.

    Attributes
    ----------
    kind
        The family of the type; ``"other"`` for everything the rules treat alike
        (lists, structs, intervals, ...).
    label
        The type as messages name it, in Ibis's spelling on both paths (``string``,
        ``int64``, ``timestamp('UTC')``), so a message does not depend on the path.
    aware
        For timestamps: whether they carry a time zone.
    """

    kind: Kind
    label: str
    aware: bool = False

    @property
    def is_temporal(self) -> bool:
        return self.kind in ("date", "timestamp")


def ibis_column_type(dtype: dt.DataType) -> ColumnType:
    """The :class:`ColumnType` of an Ibis data type.

    Examples
    --------
    >>> import ibis.expr.datatypes as dt
    >>> ibis_column_type(dt.int32), ibis_column_type(dt.Timestamp(timezone="UTC")).aware
    (ColumnType(kind='integer', label='int32', aware=False), True)
    """
    kind: Kind
    if dtype.is_string():
        kind = "string"
    elif dtype.is_integer():
        kind = "integer"
    elif dtype.is_floating():
        kind = "floating"
    elif dtype.is_decimal():
        kind = "decimal"
    elif dtype.is_boolean():
        kind = "boolean"
    elif dtype.is_date():
        kind = "date"
    elif dtype.is_timestamp():
        kind = "timestamp"
    else:
        kind = "other"
    aware = kind == "timestamp" and getattr(dtype, "timezone", None) is not None
    return ColumnType(kind, str(dtype), aware)


# DuckDB type names and their Ibis spellings (for messages).
_DUCKDB: dict[str, tuple[Kind, str]] = {
    "VARCHAR": ("string", "string"),
    "TINYINT": ("integer", "int8"), "SMALLINT": ("integer", "int16"),
    "INTEGER": ("integer", "int32"), "BIGINT": ("integer", "int64"),
    "HUGEINT": ("integer", "int128"),
    "UTINYINT": ("integer", "uint8"), "USMALLINT": ("integer", "uint16"),
    "UINTEGER": ("integer", "uint32"), "UBIGINT": ("integer", "uint64"),
    "UHUGEINT": ("integer", "uint128"),
    "FLOAT": ("floating", "float32"), "DOUBLE": ("floating", "float64"),
    "BOOLEAN": ("boolean", "boolean"),
    "DATE": ("date", "date"),
    "TIMESTAMP": ("timestamp", "timestamp"),
    "TIMESTAMP_S": ("timestamp", "timestamp(0)"), "TIMESTAMP_MS": ("timestamp", "timestamp(3)"),
    "TIMESTAMP_NS": ("timestamp", "timestamp(9)"),
    "TIMESTAMP WITH TIME ZONE": ("timestamp", "timestamp('UTC')"),
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def duckdb_column_type(name: str) -> ColumnType:
    """The :class:`ColumnType` of a DuckDB type, given by name as DuckDB writes it.

    Examples
    --------
    >>> duckdb_column_type("VARCHAR"), duckdb_column_type("DECIMAL(18,3)").label
    (ColumnType(kind='string', label='string', aware=False), 'decimal(18, 3)')
    >>> duckdb_column_type("TIMESTAMP WITH TIME ZONE").aware
    True
    """
    known = _DUCKDB.get(name.upper())
    if known is not None:
        kind, label = known
        return ColumnType(kind, label, aware=name.upper() == "TIMESTAMP WITH TIME ZONE")
    decimal = _DECIMAL.fullmatch(name.upper())
    if decimal is not None:
        return ColumnType("decimal", f"decimal({decimal.group(1)}, {decimal.group(2)})")
    return ColumnType("other", name.lower())
