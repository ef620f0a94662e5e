"""Privacy requests: find a person by e-mail, export what is held about them, erase them.

The people pages can link here: ``privacy:export`` and ``privacy:erase`` take the person's
id. Owners and admins only; every lookup is scoped to the member's organisation.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from opennps.web._http import organisation_of, posted
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import MANAGE_TEAM
from opennps.web.people import erasure
from opennps.web.people.models import Person

from .models import Action
from .services import record


class FindForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))


def _person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(Person, pk=pk, organisation=organisation_of(request))


@require_GET
@member_required(MANAGE_TEAM)
def find(request: HttpRequest) -> HttpResponse:
    """Look a person up by e-mail to export or erase their data."""
    form = FindForm(request.GET or None)
    person, report = None, None
    if form.is_bound and form.is_valid():
        person = erasure.find_person(organisation_of(request), form.cleaned_data["email"])
        if person is None:
            form.add_error("email", _("Nobody with this email address is known in your "
                                      "organisation."))
        else:
            report = erasure.erase_person(person, dry_run=True)
    return render(request, "privacy/find.html", {"form": form, "person": person,
                                                 "report": report},
                  status=400 if form.errors else 200)


@require_GET
@member_required(MANAGE_TEAM)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the person, as a JSON download."""
    person = _person(request, pk)
    data = erasure.export_person(person)
    record(Action.PERSON_EXPORTED, organisation=person.organisation_id,
           target=("person", person.pk, person))
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


class EraseForm(forms.Form):
    confirm = forms.CharField(label=gettext_lazy("Type the person's email address to confirm"))

    def __init__(self, *args: object, person: Person, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.person = person

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip()
        expected = self.person.email or str(self.person.pk)
        if value.lower() != expected.lower():
            raise forms.ValidationError(_("This is not the person's email address; nothing "
                                          "was erased."))
        return value


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_TEAM)
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (with what will be deleted), then erase the person."""
    person = _person(request, pk)
    form = EraseForm(posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        report = erasure.erase_person(person)
        messages.success(request, _("The person and %(answers)s of their answers were "
                                    "erased. The audit log keeps only that an erasure "
                                    "happened.") % {"answers": report.answers})
        return redirect("privacy:find")
    return render(request, "privacy/erase.html", {
        "person": person, "form": form,
        "report": erasure.erase_person(person, dry_run=True)},
        status=400 if form.errors else 200)
