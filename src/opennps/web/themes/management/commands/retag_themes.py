"""Tag every response's comment again with its organisation's current taxonomy."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opennps.web.accounts.models import Organisation
from opennps.web.themes.services import retag


class Command(BaseCommand):
    help = "Tag every response's comment again with its organisation's themes taxonomy."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", type=int, help="Only this organisation (its id).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Count the responses whose themes would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(_("There is no organisation with id {id}. Pass the id of "
                                     "an existing organisation, or leave --organisation out."
                                     ).format(id=options["organisation"]))
        result = retag(organisation, dry_run=options["dry_run"])
        message = (_("{responses} responses read; {changed} would change their themes "
                     "(dry run: nothing written).") if options["dry_run"] else
                   _("{responses} responses tagged; {changed} changed their themes; "
                     "{themes} themes stored."))
        self.stdout.write(message.format(responses=result.responses, changed=result.changed,
                                         themes=result.themes))
