"""E-mails to team members, sent in the background."""

from __future__ import annotations

from opennps.web.jobs.api import task

from . import services


@task()
def send_invitation(email: str, base_url: str, language: str) -> bool:
    """Send a new member the link to choose a password; False if they are gone."""
    return services.send_invitation(email, base_url=base_url, language=language)
