"""Tables on warehouses and clusters, named by a URL: ``open_table("postgres://…", "answers")``.

Every source is an Ibis backend; the engine's query runs there unchanged. The URL's
scheme picks the backend and the rest is the backend's own connection URL (see
docs/engine.md): ``duckdb:///path/warehouse.db``, ``postgres://user@host:5432/db``,
``pyspark`` (a local Spark session), ``spark://host:7077`` (a Spark cluster),
``trino://user@host:8080/catalog/schema``, ``bigquery://project/dataset``,
``snowflake://user:password@account/database/schema?warehouse=wh`` and the other
backends of Ibis.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opennps._i18n import gettext as _
from opennps.errors import SourceError

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir

__all__ = ["SCHEMES", "TableSource", "open_table", "redact"]


@dataclass(frozen=True)
class _Backend:
    ibis_name: str  # the attribute of the ibis module
    install: str    # what to install when its packages are missing


_OPENNPS = "pip install 'opennps[{extra}]'"
_IBIS = "pip install 'ibis-framework[{extra}]'"
_BACKENDS: dict[str, _Backend] = {
    "duckdb": _Backend("duckdb", "pip install opennps"),
    "postgres": _Backend("postgres", _OPENNPS.format(extra="postgres")),
    "pyspark": _Backend("pyspark", _OPENNPS.format(extra="spark")),
    # The other Ibis backends that connect from a URL (ibis.connect).
    **{name: _Backend(name, _IBIS.format(extra=name)) for name in (
        "bigquery", "clickhouse", "druid", "exasol", "impala", "mssql", "mysql", "oracle",
        "risingwave", "singlestoredb", "snowflake", "sqlite", "trino")},
}
_ALIASES = {"postgresql": "postgres", "spark": "pyspark"}  # spark://: a cluster's master

SCHEMES: tuple[str, ...] = tuple(sorted((*_BACKENDS, *_ALIASES)))
"""The URL schemes :func:`open_table` accepts (``postgresql`` is ``postgres``; ``spark``
is a Spark cluster's master URL, run through the ``pyspark`` backend)."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


@dataclass(frozen=True)
class TableSource:
    """A table opened by :func:`open_table`; a context manager that closes its connection.

    Attributes
    ----------
    table
        The Ibis table; nothing is read until it is queried.
    name
        How messages name it: the table and the URL without its password, e.g.
        ``answers (postgres://analyst@db/cx)``.
    """

    table: ir.Table
    name: str
    _backend: ibis.BaseBackend | None = field(default=None, repr=False, compare=False)
    _owned: bool = field(default=True, repr=False, compare=False)  # False: a running Spark

    def close(self) -> None:
        """Close the connection (a Spark session only if :func:`open_table` started it)."""
        if self._backend is not None and self._owned:
            self._backend.disconnect()

    def __enter__(self) -> TableSource:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages.

    >>> redact("postgres://ana:s3cret@db:5432/cx?sslmode=require")
    'postgres://ana:***@db:5432/cx?sslmode=require'
    >>> redact("pyspark://")
    'pyspark://'
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.password is None:
        return url
    host = parsed.netloc.rpartition("@")[2]
    user = parsed.username or ""
    return urllib.parse.urlunsplit(parsed._replace(netloc=f"{user}:***@{host}"))


def open_table(source: str, table: str | None = None) -> TableSource:
    """Connect to the backend named by ``source`` and open its table ``table``.

    Parameters
    ----------
    source
        A URL whose scheme is one of :data:`SCHEMES`; the rest is the backend's own
        connection URL, as for ``ibis.connect``. ``pyspark`` alone (or ``pyspark://``)
        is a local Spark session on every core (or the session already running in this
        process); ``spark://host:7077`` the session of a standalone Spark cluster; Spark
        settings go in the query string (``pyspark://?spark.executor.memory=4g``) and a
        ``pyspark://`` path sets the warehouse directory
        (``pyspark:///data/spark-warehouse``). ``duckdb:///path/file.db`` is opened
        read-only.
    table
        The table, ``SCHEMA.TABLE`` (or ``CATALOG.SCHEMA.TABLE``) outside the default
        schema. May instead be given in the URL as ``?table=NAME``.

    Raises
    ------
    SourceError
        An unknown scheme; the backend's Python packages are not installed (the message
        says what to install); the connection fails; no table given; no such table (the
        message lists the tables there).
    """
    url, table = _split_table(source, table)
    scheme = _scheme(url)
    backend = _BACKENDS[scheme]
    shown = redact(source)
    if table is None:
        raise SourceError(
            _("which table of {source}? Pass --table NAME (or ?table=NAME in the URL)."
              ).format(source=shown))
    module = _load(backend, scheme)
    owned = scheme != "pyspark" or _spark_session_running() is None
    con = _connect(module, scheme, url, shown)
    try:
        opened = _table(con, table, shown)
    except BaseException:
        if owned:
            con.disconnect()
        raise
    return TableSource(opened, f"{table} ({shown})", con, owned)


def _spark_session_running() -> object | None:
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def _split_table(source: str, table: str | None) -> tuple[str, str | None]:
    """Take ``table=`` out of the URL's query string (it is not a connection setting)."""
    parsed = urllib.parse.urlsplit(source)
    query = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
    named = [value for key, value in query if key == "table"]
    if not named:
        return source, table
    if table is not None and table != named[-1]:
        raise SourceError(
            _("two tables were given: {first!r} in the URL and {second!r} with --table. "
              "Give one of them.").format(first=named[-1], second=table))
    rest = urllib.parse.urlencode([(key, value) for key, value in query if key != "table"])
    return urllib.parse.urlunsplit(parsed._replace(query=rest)), named[-1]


def _scheme(url: str) -> str:
    head, sep, _rest = url.partition(":")
    if not sep:
        if url in _BACKENDS or url in _ALIASES:  # "pyspark" alone
            head = url
        else:
            raise SourceError(
                _("{source!r} is not a source URL: it has no scheme. Give a URL such as "
                  "duckdb:///path/to/warehouse.db or postgres://user@host/database; a file "
                  "of answers goes in PATH instead of --source.").format(source=redact(url)))
    scheme = head.lower()
    scheme = _ALIASES.get(scheme, scheme)
    if not _SCHEME.fullmatch(head) or scheme not in _BACKENDS:
        raise SourceError(
            _("unknown source scheme {scheme!r}; the schemes are {allowed}. See "
              "docs/engine.md for the URL of each.").format(
                scheme=head, allowed=", ".join(SCHEMES)))
    return scheme


def _load(backend: _Backend, scheme: str) -> Any:
    """The Ibis backend module, or SourceError naming what to install."""
    import ibis

    try:
        return getattr(ibis, backend.ibis_name)
    except (ImportError, AttributeError) as error:
        raise _not_installed(scheme, error) from error


def _not_installed(scheme: str, error: BaseException) -> SourceError:
    """The error for a backend whose Python packages are missing: which one, and the fix."""
    missing: str | None = None
    cause: BaseException | None = error
    while cause is not None and missing is None:  # Ibis wraps the ModuleNotFoundError
        if isinstance(cause, ImportError) and cause.name:
            missing = cause.name.split(".")[0]
        cause = cause.__cause__ or cause.__context__
    return SourceError(
        _("the {scheme} source needs the Python package {package!r}, which is not installed. "
          "Install it with: {command}").format(
            scheme=scheme, package=missing or scheme, command=_BACKENDS[scheme].install))


def _connect(module: Any, scheme: str, url: str, shown: str) -> ibis.BaseBackend:
    try:
        if scheme == "pyspark":
            return _spark(module, url)
        if scheme == "duckdb":
            return _duckdb(module, urllib.parse.urlsplit(url), shown)
        import ibis

        return ibis.connect(url)
    except SourceError:
        raise
    except ImportError as error:
        raise _not_installed(scheme, error) from error
    except Exception as error:  # each driver has its own exceptions
        if scheme == "pyspark" and "JAVA" in str(error).upper():
            raise SourceError(
                _("cannot start Spark: {error}. Spark needs Java 17 or later: install it "
                  "(on Debian: apt-get install default-jre-headless) or set JAVA_HOME."
                  ).format(error=_first_line(error))
            ) from error
        raise SourceError(
            _("cannot connect to {source}: {error}. Check the address, database, user and "
              "password in the URL (see docs/engine.md).").format(
                source=shown, error=_first_line(error))
        ) from error


def _duckdb(module: Any, parsed: urllib.parse.SplitResult, shown: str) -> ibis.BaseBackend:
    path = Path(parsed.netloc + parsed.path) if parsed.netloc else Path(parsed.path)
    if not parsed.path and not parsed.netloc:
        raise SourceError(
            _("{source} names no database file; give its path, e.g. "
              "duckdb:///data/warehouse.db (absolute) or duckdb://warehouse.db (relative)."
              ).format(source=shown))
    if not path.is_file():
        raise SourceError(
            _("there is no DuckDB database file at {path}. Check the path in {source} "
              "(duckdb:///absolute/path.db, duckdb://relative/path.db).").format(
                path=path, source=shown))
    settings = dict(urllib.parse.parse_qsl(parsed.query))
    backend: ibis.BaseBackend = module.connect(str(path), read_only=True, **settings)
    return backend


def _spark(module: Any, url: str) -> ibis.BaseBackend:
    """A Spark session: the one already running in this process, or a new one.

    ``spark://host:port?…`` is a standalone cluster's master URL; ``pyspark://[path]?…``
    is Ibis's form (the path is the warehouse directory); query strings are Spark
    settings; without ``spark.master`` the session is local, on every core.
    """
    from pyspark.sql import SparkSession

    parsed = urllib.parse.urlsplit(url if "://" in url else f"{url}://")
    settings = dict(urllib.parse.parse_qsl(parsed.query))
    if parsed.scheme.lower() == "spark":
        settings["spark.master"] = urllib.parse.urlunsplit(parsed._replace(query=""))
    elif warehouse := parsed.netloc + parsed.path:
        settings["spark.sql.warehouse.dir"] = str(Path(warehouse).absolute())
    session = SparkSession.getActiveSession()
    if session is None or settings:
        builder = SparkSession.builder.appName("opennps")
        if "spark.master" not in settings:
            builder = (builder.master("local[*]").config("spark.ui.enabled", "false")
                       .config("spark.ui.showConsoleProgress", "false"))
        for key, value in settings.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
    backend: ibis.BaseBackend = module.connect(session)
    return backend


def _table(con: ibis.BaseBackend, name: str, shown: str) -> ir.Table:
    database, _dot, table = name.rpartition(".")
    try:
        return con.table(table, database=database or None)
    except Exception as error:  # each backend has its own "no such table"
        try:
            tables = sorted(con.list_tables(database=database or None))
        except Exception:
            tables = None
        if tables is not None and table not in tables:
            raise SourceError(
                _("there is no table {table!r} in {source}; the tables there are {found}. "
                  "Pass --table with one of those (SCHEMA.TABLE for another schema)."
                  ).format(table=name, source=shown,
                           found=", ".join(repr(t) for t in tables[:20]) or _("(none)"))
            ) from error
        raise SourceError(
            _("cannot open table {table!r} in {source}: {error}.").format(
                table=name, source=shown, error=_first_line(error))
        ) from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0].rstrip(".") if text else type(error).__name__
