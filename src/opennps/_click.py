"""Click classes whose help texts are msgids, translated when help is shown (not at import).

Each command line module picks its catalogue by overriding ``translate`` in a subclass: the
library's commands use ``opennps._i18n.gettext``, the survey service's its own catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from opennps import _i18n

__all__ = ["Command", "Group", "Option"]


class _TranslatedHelp:
    help: str | None

    def translate(self, message: str) -> str:
        return _i18n.gettext(message)

    def _with_translated_help(self, method: Callable[..., Any], *args: Any) -> Any:
        original = self.help
        self.help = self.translate(original) if original else original
        try:
            return method(*args)
        finally:
            self.help = original


class Command(_TranslatedHelp, click.Command):
    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._with_translated_help(super().format_help_text, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return str(self._with_translated_help(super().get_short_help_str, limit))


class Group(_TranslatedHelp, click.Group):
    command_class = Command

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._with_translated_help(super().format_help_text, ctx, formatter)


class Option(_TranslatedHelp, click.Option):
    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record: tuple[str, str] | None = self._with_translated_help(super().get_help_record,
                                                                     ctx)
        return record
