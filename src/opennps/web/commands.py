"""CLI commands of the survey service: ``serve``, ``worker``, ``createuser``, ``import``,
``erase-person``, ``export-person``, ``backup`` and ``restore``.

Importing this module does not import Django (``opennps --help`` stays fast); each
command sets Django up when it runs. Texts come from the service's own catalogue
(``opennps/web/locale``), read with the standard library in the CLI's language.
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import click

from opennps import _click, _i18n

LOCALE_DIR = Path(__file__).with_name("locale")


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    return _gettext.translation("django", LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """Translate ``message`` into the CLI's language (``--lang``, OPENNPS_LANG, LANG).

    xgettext stores click's "\\b" (no rewrap) marker as a backslash and a "b", so the
    lookup uses that spelling and turns it back into the control character.
    """
    catalogue = _catalogue(_i18n.active_language())
    if "\b" not in message:
        return catalogue.gettext(message)
    return catalogue.gettext(message.replace("\b", "\\b")).replace("\\b", "\b")


def gettext_noop(message: str) -> str:
    """Mark a help text for translation; it is translated when shown."""
    return message


class Command(_click.Command):
    def translate(self, message: str) -> str:
        return _(message)


class Option(_click.Option):
    def translate(self, message: str) -> str:
        return _(message)


def option(*names: str, **kwargs: Any) -> Callable[[Any], Any]:
    return click.option(*names, cls=Option, **kwargs)


data_dir_option = option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path),
    help=gettext_noop("Folder for the SQLite database and the secret key "
                      "(default: OPENNPS_DATA_DIR, else ~/.local/share/opennps)."))


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _port_in_use(host: str, port: int) -> bool:
    """Whether something listens on ``host:port`` already. granian's workers bind with
    SO_REUSEPORT on Linux, so a second ``serve`` on a taken port would share it silently
    with the first instead of failing; a plain bind (without that option) tells."""
    import socket

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except OSError:
        return False  # an address that cannot be used: granian says so
    with socket.socket(family, kind, proto) as probe:
        # SO_REUSEADDR: connections of an earlier run waiting in TIME_WAIT do not count,
        # a socket listening there does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return True
    return False


@click.command(cls=Command, help=gettext_noop(
    "Start the survey service on http://HOST:PORT.\n\n"
    "Uses SQLite in the data folder unless DATABASE_URL is set; applies migrations on start. "
    "On the first run it creates an owner and prints the login once.\n\n"
    "\b\nExample:\n  opennps serve --port 8000 --demo"))
@option("--host", default="127.0.0.1", show_default=True,
        help=gettext_noop("Address to listen on (0.0.0.0 for every interface)."))
@option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
        help=gettext_noop("Port to listen on."))
@data_dir_option
@option("--demo", is_flag=True,
        help=gettext_noop("Also load a demo survey with realistic answers (once)."))
@option("--workers", type=click.IntRange(min=1), envvar="OPENNPS_WORKERS",
        help=gettext_noop("Worker processes (default: OPENNPS_WORKERS, else 2 per CPU core)."))
@option("--threads", type=click.IntRange(min=1), envvar="OPENNPS_THREADS", default=4,
        show_default=True, help=gettext_noop("Threads per worker process."))
@option("--background/--no-background", default=True, envvar="OPENNPS_SERVE_BACKGROUND",
        show_default=True,
        help=gettext_noop("Also run one background worker (e-mails, scheduled waves, "
                          "tagging); turn it off when `opennps worker` runs elsewhere."))
def serve(host: str, port: int, data_dir: Path | None, demo: bool, workers: int | None,
          threads: int, background: bool) -> None:
    from opennps.web._setup import configure

    if _port_in_use(host, port):
        _fail(_("Port %(port)s on %(host)s is in use: is OpenNPS (or another server) running "
                "there already? Stop it, or start this one with another --port.")
              % {"port": port, "host": host})
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    os.environ.setdefault("OPENNPS_BASE_URL", f"http://{shown}:{port}")
    folder = configure(data_dir)
    from django.db import connections

    from opennps.web import _server

    _server.collect_static()
    login = _server.first_run()
    if demo:
        added = _server.load_demo()
        if added:
            click.echo(_("Loaded a demo survey with %(count)s answers.") % {"count": added},
                       err=True)
    connections.close_all()  # the workers open their own connections
    if background:
        _server.start_background_worker(folder)
    address = f"http://{shown}:{port}/"
    click.echo(_("OpenNPS is running at %(address)s (data in %(folder)s). Stop it with "
                 "Ctrl+C.") % {"address": address, "folder": folder}, err=True)
    if login:
        click.echo(_("First run: sign in as %(email)s with the password %(password)s . It is "
                     "shown only this once; change it after signing in, at "
                     "%(address)saccounts/password/ (Change password, at the top of every "
                     "page).") % {"email": login[0], "password": login[1], "address": address},
                   err=True)
    from django.conf import settings

    if not settings.EMAIL_HOST:
        click.echo(_("E-mails (survey invitations, password resets) are written to files in "
                     "%(folder)s, not sent: set OPENNPS_EMAIL_HOST to send them "
                     "(docs/configuration.md).") % {"folder": settings.EMAIL_FILE_PATH},
                   err=True)
    _server.run_server(host, port, workers=workers or 2 * (os.cpu_count() or 1),
                         threads=threads)


@click.command(cls=Command, help=gettext_noop(
    "Run background work: queued tasks (e-mails, tagging, imports) and the scheduler that "
    "enqueues due waves, reminders and digests.\n\n"
    "Run as many as you like against one PostgreSQL database; each task runs once. "
    "`opennps serve` runs one itself unless --no-background.\n\n"
    "\b\nExample:\n  opennps worker --data-dir /var/lib/opennps"))
@data_dir_option
@option("--interval", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
        help=gettext_noop("Seconds to wait for new tasks when the queue is empty."))
@option("--queue", "queues", multiple=True,
        help=gettext_noop("Only run the tasks of this queue; repeatable (default: every "
                          "queue)."))
@option("--batch", is_flag=True,
        help=gettext_noop("Enqueue the due periodic jobs, run every task that is ready, "
                          "then exit (for cron)."))
@option("--no-scheduler", is_flag=True,
        help=gettext_noop("Do not enqueue periodic jobs from this worker."))
@option("--parent-pid", type=int, hidden=True)
def worker(data_dir: Path | None, interval: float, queues: tuple[str, ...], batch: bool,
           no_scheduler: bool, parent_pid: int | None) -> None:
    from opennps.web._setup import configure

    configure(data_dir)
    import logging

    from opennps.web.jobs import worker as jobs_worker

    logging.basicConfig(level=os.environ.get("OPENNPS_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if batch:
        jobs_worker.drain(queues=queues or ("*",), tick=not no_scheduler)
        return
    jobs_worker.run(interval=interval, queues=queues or ("*",), parent_pid=parent_pid,
                    scheduler=not no_scheduler)


@click.command(cls=Command, help=gettext_noop(
    "Create a user with a role in an organisation (created if it does not exist).\n\n"
    "Prints the password when it was generated.\n\n"
    "\b\nExample:\n  opennps createuser anna@example.com --organisation Acme --role admin"))
@click.argument("email")
@option("--organisation", default="My organisation", show_default=True,
        help=gettext_noop("Name of the organisation."))
@option("--role", type=click.Choice(["owner", "admin", "analyst", "agent"]), default="owner",
        show_default=True, help=gettext_noop("Role in the organisation."))
@option("--password", help=gettext_noop("Password (default: a random one, printed)."))
@data_dir_option
def createuser(email: str, organisation: str, role: str, password: str | None,
               data_dir: Path | None) -> None:
    from opennps.web._setup import configure

    configure(data_dir)
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from opennps.web.accounts import services
    from opennps.web.accounts.models import Organisation
    from opennps.web.audit.services import Actor, acting_as

    try:
        validate_email(email)
    except ValidationError:
        _fail(_("%(email)s is not an email address. Give one such as anna@example.com.")
              % {"email": email})
    given = password or services.generate_password()
    existing = Organisation.objects.filter(name=organisation).order_by("pk").first()
    with acting_as(Actor(label="cli")):
        if existing is None and role == "owner":
            services.create_organisation(organisation, owner_email=email, password=given)
        else:
            existing = existing or Organisation.objects.create(name=organisation)
            membership = services.add_member(existing, email=email, role=role)
            membership.user.set_password(given)
            membership.user.save(update_fields=["password"])
    click.echo(_("User %(email)s is %(role)s of %(organisation)s.")
               % {"email": email, "role": role, "organisation": organisation})
    if not password:
        click.echo(_("Password: %(password)s") % {"password": given})


@click.command("import", cls=Command, help=gettext_noop(
    "Import answers from a file into a survey: every row is checked first, and if any row "
    "is wrong nothing is stored (unless --skip-invalid).\n\n"
    "\b\nExample:\n  opennps import answers.csv --survey 3"))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--survey", "survey_id", type=int, required=True,
        help=gettext_noop("Id of the survey (the number in its address)."))
@option("--score-column", help=gettext_noop("Column with the score (default: detected)."))
@option("--comment-column", help=gettext_noop("Column with the comment (default: detected)."))
@option("--date-column", help=gettext_noop("Column with the answer date (default: detected)."))
@option("--sheet", help=gettext_noop("Sheet of an XLSX workbook, by name or number from 1 "
                                     "(default: the first with a score column)."))
@option("--language", type=click.Choice(["en", "pl", "ru", "fi", "lt", "sv"]),
        help=gettext_noop("Language of all the answers (default: detected from each "
                          "comment, else the survey's)."))
@option("--skip-invalid", is_flag=True,
        help=gettext_noop("Store the valid rows and report the invalid ones."))
@option("--dry-run", is_flag=True, help=gettext_noop("Check the file; store nothing."))
@data_dir_option
def import_(path: Path, survey_id: int, score_column: str | None, comment_column: str | None,
            date_column: str | None, sheet: str | None, language: str | None,
            skip_invalid: bool, dry_run: bool, data_dir: Path | None) -> None:
    from opennps.web._setup import configure

    configure(data_dir)
    from opennps.errors import OpenNPSError
    from opennps.web.surveys.models import Survey
    from opennps.web.surveys.services.imports import import_responses

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        _fail(_("There is no survey %(id)s. The survey's id is the number in its address, "
                "e.g. /surveys/3/.") % {"id": survey_id})
    from opennps.web.audit.services import Actor, acting_as

    try:
        with acting_as(Actor(label="cli")), _import_progress(path) as progress:
            report = import_responses(
                survey, path, score_column=score_column, comment_column=comment_column,
                date_column=date_column, sheet=sheet, language=language,
                skip_invalid=skip_invalid, dry_run=dry_run, progress=progress)
    except OpenNPSError as error:
        _fail(str(error))
    for fault in report.errors:
        click.echo(_explain_fault(fault, report.name), err=True)
    if report.invalid and not skip_invalid:
        _fail(_("Nothing was imported: %(invalid)s of %(rows)s rows are not valid. Fix them, "
                "or pass --skip-invalid to import the valid rows.")
              % {"invalid": report.invalid, "rows": report.rows})
    if dry_run:
        click.echo(_("Checked %(rows)s rows: %(invalid)s not valid. Nothing was stored "
                     "(--dry-run).") % {"rows": report.rows, "invalid": report.invalid})
        return
    click.echo(_("Imported %(created)s of %(rows)s rows into %(survey)s (%(skipped)s imported "
                 "before, %(invalid)s not valid).") % {
        "created": report.created, "rows": report.rows, "survey": survey.name,
        "skipped": report.already_imported, "invalid": report.invalid})


@contextmanager
def _import_progress(path: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while the rows are read (only on a terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: Any = None
    shown = 0

    def update(read: int, total: int) -> None:
        nonlocal bar, shown
        if bar is None:
            bar = click.progressbar(length=total, label=_("Checking %(name)s")
                                    % {"name": path.name}, file=sys.stderr)
            bar.__enter__()
        bar.update(read - shown)
        shown = read

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _explain_fault(fault: Any, name: str) -> str:
    """A row's fault with the fix in the command line's terms (its options)."""
    from opennps.io import describe_date_error
    from opennps.web.surveys.services.imports import Fault

    if fault.kind == Fault.DATE:
        return describe_date_error(row=fault.row, column=fault.column, value=fault.value,
                                   name=name)
    if fault.kind == Fault.SCORE:
        return fault.problem + " " + _("Fix the value, or pass --skip-invalid to leave such "
                                       "rows out.")
    return _("%(problem)s %(hint)s Or pass --skip-invalid to import the other rows.") % {
        "problem": fault.problem, "hint": fault.hint}


def _organisation(name: str) -> Any:
    """The organisation named ``name`` (or with that id)."""
    from opennps.web.accounts.models import Organisation

    found = list(Organisation.objects.filter(name=name).order_by("pk")[:2])
    if not found and name.isdigit():
        found = list(Organisation.objects.filter(pk=int(name)))
    if not found:
        _fail(_("There is no organisation %(name)s. Give its name as on the Team page, or "
                "its id.") % {"name": name})
    if len(found) > 1:
        _fail(_("Several organisations are named %(name)s; give the id of the one you mean.")
              % {"name": name})
    return found[0]


def _person(email: str, organisation_name: str) -> Any:
    from opennps.web.people.erasure import find_person

    person = find_person(_organisation(organisation_name), email)
    if person is None:
        _fail(_("Nobody with the email address %(email)s is known in %(organisation)s.")
              % {"email": email, "organisation": organisation_name})
    return person


organisation_option = option(
    "--organisation", required=True,
    help=gettext_noop("Name (or id) of the organisation the person belongs to."))


@click.command("erase-person", cls=Command, help=gettext_noop(
    "Erase a person and everything held about them (GDPR): their details, invitations, "
    "answers with comments, tags, themes and notes. The dashboard is recounted without "
    "them; the audit log keeps only that an erasure happened.\n\n"
    "\b\nExample:\n  opennps erase-person anna@example.com --organisation Acme --dry-run"))
@click.argument("email")
@organisation_option
@option("--dry-run", is_flag=True,
        help=gettext_noop("Show what would be erased; erase nothing."))
@data_dir_option
def erase_person(email: str, organisation: str, dry_run: bool, data_dir: Path | None) -> None:
    from opennps.web._setup import configure

    configure(data_dir)
    from opennps.web.audit.services import Actor, acting_as
    from opennps.web.people.erasure import erase_person as erase

    with acting_as(Actor(label="cli")):
        person = _person(email, organisation)
        report = erase(person, dry_run=dry_run)
    for kind, count in sorted(report.counts.items()):
        click.echo(f"{kind}: {count}")
    if dry_run:
        click.echo(_("Nothing was erased (--dry-run): %(answers)s answers would be.")
                   % {"answers": report.answers})
    else:
        click.echo(_("Erased %(email)s with %(answers)s answers.")
                   % {"email": email, "answers": report.answers})


@click.command("export-person", cls=Command, help=gettext_noop(
    "Export everything held about a person as JSON (a GDPR access request).\n\n"
    "\b\nExample:\n  opennps export-person anna@example.com --organisation Acme -o anna.json"))
@click.argument("email")
@organisation_option
@option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
        help=gettext_noop("File to write (default: standard output)."))
@data_dir_option
def export_person(email: str, organisation: str, output: str, data_dir: Path | None) -> None:
    from opennps.web._setup import configure

    configure(data_dir)
    import json

    from opennps.web.audit.models import Action
    from opennps.web.audit.services import Actor, acting_as, record
    from opennps.web.people.erasure import export_person as export

    with acting_as(Actor(label="cli")):
        person = _person(email, organisation)
        text = json.dumps(export(person), ensure_ascii=False, indent=2) + "\n"
        record(Action.PERSON_EXPORTED, organisation=person.organisation_id,
               target=("person", person.pk, person))
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")


def _database_file(data_dir: Path | None) -> Path:
    from opennps.errors import OpenNPSError
    from opennps.web import _backup, _setup

    _setup.prepare_environment(data_dir)
    try:
        return _backup.sqlite_file(os.environ["DATABASE_URL"])
    except OpenNPSError as error:
        _fail(str(error))
        raise


@click.command(cls=Command, help=gettext_noop(
    "Back up the embedded SQLite database while the service runs (SQLite's online backup), "
    "into one checked file. For PostgreSQL use pg_dump (docs/security.md).\n\n"
    "\b\nExample:\n  opennps backup --data-dir /var/lib/opennps -o /backups/opennps.sqlite3"))
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
        help=gettext_noop("File to write (default: opennps-backup-DATE-TIME.sqlite3 here)."))
@data_dir_option
def backup(output: Path | None, data_dir: Path | None) -> None:
    from datetime import datetime

    from opennps.errors import OpenNPSError
    from opennps.web import _backup

    database = _database_file(data_dir)
    target = output or Path(f"opennps-backup-{datetime.now():%Y%m%d-%H%M%S}.sqlite3")
    try:
        done = _backup.backup(database, target)
    except OpenNPSError as error:
        _fail(str(error))
        return
    click.echo(_("Backed up %(answers)s answers of %(surveys)s surveys to %(path)s.")
               % {"answers": done.answers, "surveys": done.surveys, "path": done.path})


@click.command(cls=Command, help=gettext_noop(
    "Restore a backup made by `opennps backup` into a data folder. Stop the service first; "
    "an existing database is replaced only with --force.\n\n"
    "\b\nExample:\n  opennps restore /backups/opennps.sqlite3 --data-dir /var/lib/opennps"))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--force", is_flag=True,
        help=gettext_noop("Replace the data folder's database (its data are lost)."))
@data_dir_option
def restore(path: Path, force: bool, data_dir: Path | None) -> None:
    from opennps.errors import OpenNPSError
    from opennps.web import _backup

    database = _database_file(data_dir)
    try:
        done = _backup.restore(path, database, force=force)
    except OpenNPSError as error:
        _fail(str(error))
        return
    click.echo(_("Restored %(answers)s answers of %(surveys)s surveys into %(path)s. Start "
                 "the service; it applies any newer migrations.")
               % {"answers": done.answers, "surveys": done.surveys, "path": done.path})


COMMANDS = (serve, worker, createuser, import_, erase_person, export_person, backup, restore)
