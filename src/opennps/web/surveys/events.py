"""What other apps hear of answers: one signal, sent by the answer and import services.

The survey service does not call the apps that act on answers (themes tag comments, the
dashboard's roll-up counts imports, alerts and webhooks react to detractors); they
connect a receiver in their ``AppConfig.ready``::

    responses_changed.connect(on_responses_changed)

The signal is sent inside the transaction that wrote the answers (when there is one), so
a receiver that enqueues a task enqueues it atomically with the answers (the task queue
is in the same database), and one that fails makes the write fail: receivers do little
and leave the work to tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class Change(models.TextChoices):
    SCORE = "score", _("score given or changed")
    FOLLOW_UP = "follow_up", _("comment or extra answers given")
    IMPORT = "import", _("answers imported")


#: Sent with ``survey`` (a Survey), ``change`` (a :class:`Change`), ``response_ids`` (the
#: ids of the answers written; ``None`` for an import, which writes many: look for the
#: survey's answers with ``updated_at == at``) and ``at`` (their ``updated_at``).
responses_changed = Signal()


def send(survey: Any, change: Any, response_ids: Sequence[int] | None,
         at: datetime) -> None:
    """Tell the receivers that answers of ``survey`` were written."""
    responses_changed.send(sender=type(survey), survey=survey, change=change,
                           response_ids=list(response_ids) if response_ids is not None
                           else None, at=at)
