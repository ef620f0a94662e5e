"""``manage.py rebuild_rollups [--survey ID …] [--dry-run]``: recount the daily roll-up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from opennps.web.dashboard.rollups import rebuild


class Command(BaseCommand):
    help = "Recount the dashboard's daily score counts from the responses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, action="append",
                            help="Only this survey (id); may be repeated.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Count the cells without writing them.")

    def handle(self, *args: Any, **options: Any) -> None:
        cells = rebuild(options["survey"], dry_run=options["dry_run"])
        if options["dry_run"]:
            message = _("Roll-up cells that would be written (dry run): %(cells)s.")
        else:
            message = _("Roll-up cells written: %(cells)s.")
        self.stdout.write(message % {"cells": cells})
