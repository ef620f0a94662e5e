"""The raw e-mail: headers a parser reads back exactly (long non-ASCII names, quotes, no
header injection), parts and the Message-ID rule."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.header import decode_header, make_header

from django.test import TestCase, override_settings

from opennps.web.distribution import messages
from opennps.web.distribution.models import SurveyDistribution

from ..factories import make_organisation, make_survey


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class RawMessageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(make_organisation(), brand="Żabka „Polska”")
        SurveyDistribution.objects.create(survey=cls.survey, sender_name='Zoë "the" Team',
                                          sender_email="team@xn--bcher-kva.example",
                                          reply_to="help@example.com")

    def parsed(self, name: str, email: str = "ann@example.com", language: str = "pl"):  # noqa: ANN201
        template = messages.build_template(self.survey, language, reminder=False)
        mid, raw = messages.render(template, invitation_id=7, number=0, token="t" * 32,
                                   name=name, email=email)
        self.assertTrue(all(len(line) <= 998 for line in raw.split(b"\r\n")))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))
        self.raw = raw
        return mid, message_from_bytes(raw, policy=policy.default)

    def test_long_non_ascii_names_and_subjects_are_read_back_exactly(self) -> None:
        name = ("Анна-Мария Кузнецова-Щербакова " * 3).strip()
        _mid, message = self.parsed(name)
        # RFC 2047 §6.2: the white space between encoded-words is dropped (Python's
        # header-registry parser keeps it, so the header is decoded by the letter here).
        raw = message_from_bytes(self.raw, policy=policy.compat32)["To"]
        decoded = str(make_header(decode_header(raw)))
        self.assertEqual(decoded, f"{name} <ann@example.com>")
        self.assertEqual(message["Subject"], "Żabka „Polska” prosi o Twoją opinię")
        self.assertEqual(message["From"].addresses[0].display_name, 'Zoë "the" Team')

    def test_quotes_and_specials_in_a_name_stay_in_the_name(self) -> None:
        _mid, message = self.parsed('O\'Brien, "Bob" <boss@evil.example>')
        (address,) = message["To"].addresses
        self.assertEqual(address.addr_spec, "ann@example.com")
        self.assertEqual(address.display_name, 'O\'Brien, "Bob" <boss@evil.example>')

    def test_line_breaks_in_a_name_cannot_add_headers(self) -> None:
        _mid, message = self.parsed("Ann\r\nBcc: victim@example.com\nX-Evil: 1")
        self.assertIsNone(message["Bcc"])
        self.assertIsNone(message["X-Evil"])
        self.assertEqual(message["To"].addresses[0].addr_spec, "ann@example.com")

    def test_an_international_domain_is_sent_in_idna(self) -> None:
        _mid, message = self.parsed("Ann", email="ann@bücher.example")
        self.assertEqual(message["To"].addresses[0].domain, "xn--bcher-kva.example")

    def test_the_message_id_is_stable_and_leads_back_to_the_invitation(self) -> None:
        first, _message = self.parsed("Ann")
        again, _message = self.parsed("Someone else")
        self.assertEqual(first, again)
        self.assertEqual(messages.invitation_of_message_id(first), 7)
        self.assertIsNone(messages.invitation_of_message_id("<12345@elsewhere.example>"))
        self.assertNotEqual(messages.message_id(7, 1, "nps.example.com"), first)

    def test_a_line_too_long_for_8bit_is_sent_quoted_printable(self) -> None:
        _mid, message = self.parsed("&" * 255)
        html = message.get_body(("html",))
        self.assertEqual(html["Content-Transfer-Encoding"], "quoted-printable")
        self.assertIn("&amp;" * 255, html.get_content())
        _mid, plain = self.parsed("Ann")
        self.assertEqual(plain.get_body(("html",))["Content-Transfer-Encoding"], "8bit")
