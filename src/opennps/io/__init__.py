"""Reading response files: CSV, TSV, XLSX, Parquet, JSON and JSON Lines.

:func:`open_dataset` detects a file's format, text encoding, delimiter, vendor layout
(Delighted, SurveyMonkey, Qualtrics, Typeform) and the columns holding the score, date,
comment and response id, and returns a :class:`Dataset` that DuckDB scans in place
(:meth:`Dataset.to_ibis`). Nothing here loads all rows into Python objects; only the
error path (:meth:`Dataset.locate`) walks rows to name the bad ones.

:func:`open_table` reads any table the same way (contacts, address lists), with no column
required, row by row as text.
"""

from opennps.io._dataset import DATE_COLUMN, INVALID_DATE_COLUMN, Dataset
from opennps.io._layouts import LAYOUTS
from opennps.io._open import open_dataset
from opennps.io._scores import (
    describe_date_error,
    describe_date_problem,
    describe_score_error,
    describe_score_problem,
    is_missing,
    parse_score,
)
from opennps.io._sniff import FORMATS
from opennps.io._table import Table, open_table

__all__ = [
    "DATE_COLUMN",
    "Dataset",
    "FORMATS",
    "INVALID_DATE_COLUMN",
    "LAYOUTS",
    "Table",
    "describe_date_error",
    "describe_date_problem",
    "describe_score_error",
    "describe_score_problem",
    "is_missing",
    "open_dataset",
    "open_table",
    "parse_score",
]
