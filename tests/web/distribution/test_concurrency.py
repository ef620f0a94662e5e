"""Several senders against PostgreSQL claim disjoint rows (SKIP LOCKED): nobody gets an
invitation twice; two workers running one wave at once queue it once."""

from __future__ import annotations

from collections import Counter

from django.test import TransactionTestCase, override_settings

from opennps.web.distribution import selection, sending
from opennps.web.distribution.models import Invitation
from opennps.web.people.models import Person

from ..conftest import require_postgres, run_together
from ..factories import make_organisation, make_survey
from .helpers import NOW, make_wave, smtp_settings
from .smtp import smtp_server


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com", "SEND_BATCH": 10})
class ConcurrentSendingTests(TransactionTestCase):
    def setUp(self) -> None:
        require_postgres()
        organisation = make_organisation()
        self.survey = make_survey(organisation)
        Person.objects.bulk_create([Person(organisation=organisation, email=f"p{i}@example.com")
                                    for i in range(200)])

    def test_four_senders_never_send_one_invitation_twice(self) -> None:
        make_wave(self.survey)
        selection.run_due_waves(now=NOW)
        with smtp_server() as (port, recorder), self.settings(**smtp_settings(port)):
            errors = run_together(lambda i: sending.send_due(now=NOW, worker_id=f"w{i}"), 4)
        self.assertEqual(errors, [])
        per_address = Counter(r.rcpt_tos[0] for r in recorder.received)
        self.assertEqual((len(per_address), set(per_address.values())), (200, {1}))
        self.assertEqual(Invitation.objects.filter(status="sent").count(), 200)

    def test_two_workers_running_the_same_wave_queue_it_once(self) -> None:
        make_wave(self.survey)
        errors = run_together(lambda _i: selection.run_due_waves(now=NOW), 4)
        self.assertEqual(errors, [])
        self.assertEqual(Invitation.objects.count(), 200)
