"""The Delighted endpoints: each reads its parameters, calls the services, shapes JSON."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from opennps.core import Histogram, NPSResult
from opennps.web import links
from opennps.web.followup.models import Note
from opennps.web.people.models import Person
from opennps.web.surveys.models import Channel, Response
from opennps.web.surveys.services import direct

from ..models import ApiKey
from . import shapes
from .http import NotFound, respond
from .params import ParamError, Params

PER_PAGE, MAX_PER_PAGE = 20, 100
# How long the last row of a page served is remembered for the page after it.
PAGE_MEMORY_SECONDS = 15 * 60
# In this process only: a client pages through one keep-alive connection, which stays with
# one worker process, so the next page nearly always finds the mark here; when it does not
# (another worker, a restart), the page is found by skipping rows, as right, only slower.
# A shared cache would cost a transaction of four statements and a commit on every page.
PAGE_MEMORY = LocMemCache("opennps-v1-pages", {"TIMEOUT": PAGE_MEMORY_SECONDS,
                                               "OPTIONS": {"MAX_ENTRIES": 20_000}})
ORDERS = {"asc": ("created_at", "pk"), "desc": ("-created_at", "-pk"),
          "asc:updated_at": ("updated_at", "pk"), "desc:updated_at": ("-updated_at", "-pk")}
# Delighted's metrics groups, as channels (``core`` is every answer).
GROUPS = {"email": (Channel.EMAIL,), "link": (Channel.LINK,), "kiosk": (Channel.KIOSK,),
          "web": (Channel.WEB, Channel.WIDGET), "sms": ()}
DEFAULT_WINDOW = timedelta(days=30)


def _moment(params: Params, name: str) -> datetime | None:
    seconds = params.integer(name, minimum=0, maximum=253_402_300_799)
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _range(params: Params, field: str, since: str, until: str) -> Q:
    """``since``/``until`` (inclusive, Unix seconds) as a condition on ``field``."""
    condition = Q()
    start, end = _moment(params, since), _moment(params, until)
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end + timedelta(seconds=1)})
    return condition


def _page(params: Params) -> tuple[int, int]:
    per_page = min(params.integer("per_page", minimum=1) or PER_PAGE, MAX_PER_PAGE)
    return params.integer("page", minimum=1) or 1, per_page


def _person(key: ApiKey, value: Any, field: str = "person") -> Person:
    """The key's organisation's person named by an id (string or int) or an object with
    an ``id`` (what the Python client sends back after an expand)."""
    if isinstance(value, dict):
        value = value.get("id")
    text = str(value).strip() if value is not None else ""
    if not text.isdigit():
        raise ParamError(field, "can't be blank" if not text else "is invalid")
    found = Person.objects.filter(organisation_id=key.organisation_id, pk=int(text)).first()
    if found is None:
        raise ParamError(field, "does not exist")
    return found


def _answers(key: ApiKey) -> QuerySet[Response]:
    """The key's survey's answers (a key's survey is always of the key's organisation,
    see ``keys.create_key``; the survey alone lets the planner use its index)."""
    return Response.objects.filter(survey_id=key.survey_id)


def _shaped(request: HttpRequest, key: ApiKey, ids: list[int], expand: list[str]
            ) -> list[Any]:
    """The responses with these ids, shaped, in this order: one query for the rows (with
    their person when expanded), one for their notes."""
    if not ids:
        return []
    columns = [*shapes.RESPONSE_COLUMNS, *(shapes.PERSON_COLUMNS if "person" in expand else ())]
    rows = {row["pk"]: row for row in _answers(key).filter(pk__in=ids).values(*columns)}
    notes: dict[int, list[dict[str, Any]]] = {}
    for row in (Note.objects.filter(response_id__in=ids).order_by("created_at", "pk")
                .values("pk", "response_id", "text", "author__email", "created_at")):
        notes.setdefault(row["response_id"], []).append(shapes.note(row))
    page = shapes.Page(key.survey, links.base_url(request))
    return [shapes.response(rows[pk], expand_person="person" in expand, page=page,
                            notes=notes.get(pk, [])) for pk in ids if pk in rows]


def list_responses(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    order = params.string("order") or "asc"
    if order not in ORDERS:
        raise ParamError("order", "must be one of " + ", ".join(ORDERS))
    condition = (_range(params, "created_at", "since", "until")
                 & _range(params, "updated_at", "updated_since", "updated_until"))
    person_id = params.string("person_id")
    if person_id:
        condition &= Q(person_id=int(person_id)) if person_id.isdigit() else Q(pk__in=[])
    email = params.string("person_email")
    if email:
        condition &= Q(person__email__iexact=email)
    page, per_page = _page(params)
    ids = _paged(key, _answers(key).filter(condition), order, page, per_page, params)
    return respond(_shaped(request, key, ids, params.strings("expand")))


def _paged(key: ApiKey, answers: QuerySet[Response], order: str, page: int, per_page: int,
           params: Params) -> list[int]:
    """The ids of page ``page`` of ``answers`` in ``order``.

    Pages are numbered, but clients read them one after another; so the last row of each
    page served is remembered (``PAGE_MEMORY``) and the next page continues after it
    by the index (keyset), instead of skipping ``(page - 1) * per_page`` rows each time,
    which grows with every page. Without a remembered row (the first page, a jump, or a
    page served by another worker process: see ``PAGE_MEMORY``) the rows are skipped.
    Only ids are selected here, so that skipped rows are never joined.
    """
    fields = ORDERS[order]
    field = fields[0].lstrip("-")
    descending = fields[0].startswith("-")
    state = {k: v for k, v in params.data.items() if k not in ("page", "per_page")}
    scope = hashlib.sha256(json.dumps([key.pk, order, per_page, state], sort_keys=True,
                                      default=str).encode()).hexdigest()
    after = PAGE_MEMORY.get(f"{scope}:{page}") if page > 1 else None
    selected = answers.order_by(*fields)
    if isinstance(after, tuple) and len(after) == 2:
        value, last = datetime.fromisoformat(after[0]), after[1]
        beyond = "lt" if descending else "gt"
        # The first condition alone gives the index where to start (with only the OR,
        # PostgreSQL reads the survey's rows from the first and filters out the pages before).
        selected = selected.filter(Q(**{f"{field}__{beyond}e": value}),
                                   Q(**{f"{field}__{beyond}": value})
                                   | Q(**{field: value, f"pk__{beyond}": last}))[:per_page]
    else:
        start = (page - 1) * per_page
        selected = selected[start:start + per_page]
    found = list(selected.values_list("pk", field))
    if len(found) == per_page:
        last_pk, last_value = found[-1]
        PAGE_MEMORY.set(f"{scope}:{page + 1}", (last_value.isoformat(), last_pk))
    return [pk for pk, _value in found]


def _one(key: ApiKey, response_id: str) -> Response:
    if not response_id.isdigit():
        raise NotFound
    found = _answers(key).filter(pk=int(response_id)).first()
    if found is None:
        raise NotFound
    return found


def _single(request: HttpRequest, key: ApiKey, pk: int, params: Params) -> HttpResponse:
    return respond(_shaped(request, key, [pk], params.strings("expand"))[0])


def retrieve_response(request: HttpRequest, key: ApiKey, params: Params, *,
                      response_id: str) -> HttpResponse:
    return _single(request, key, _one(key, response_id).pk, params)


def create_response(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    if "score" not in params:
        raise ParamError("score", "can't be blank")
    person = _person(key, params.raw("person"))
    answer = direct.record_response(
        key.survey, score=params.integer("score"), person=person,
        comment=params.string("comment") or "",
        properties=params.mapping("person_properties"),
        created_at=_moment(params, "created_at"))
    return _single(request, key, answer.pk, params)


def update_response(request: HttpRequest, key: ApiKey, params: Params, *,
                    response_id: str) -> HttpResponse:
    answer = _one(key, response_id)
    changes: dict[str, Any] = {}
    if "score" in params:
        changes["score"] = params.integer("score")
    if params.raw("comment") is not None:
        changes["comment"] = params.string("comment") or ""
    if params.raw("person") is not None:
        changes["person"] = _person(key, params.raw("person"))
    properties = params.mapping("person_properties")
    if properties:
        changes["properties"] = properties
    direct.update_response(answer, **changes)
    return _single(request, key, answer.pk, params)


def _figures(answers: QuerySet[Response], survey: Any) -> dict[str, int]:
    counts = dict(answers.values_list("score").annotate(n=Count("pk")).order_by())
    n = sum(counts.values())
    if not n or not survey.scale.is_recommend:
        return {"nps": 0, "promoter_count": 0, "promoter_percent": 0, "passive_count": 0,
                "passive_percent": 0, "detractor_count": 0, "detractor_percent": 0,
                "response_count": n}
    result = NPSResult.from_histogram(Histogram.from_counts(counts, survey.scale))
    promoters = round(100 * result.promoters / n)
    passives = round(100 * result.passives / n)
    detractors = round(100 * result.detractors / n)
    return {"nps": promoters - detractors, "promoter_count": result.promoters,
            "promoter_percent": promoters, "passive_count": result.passives,
            "passive_percent": passives, "detractor_count": result.detractors,
            "detractor_percent": detractors, "response_count": n}


def metrics(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    """NPS of the key's survey in ``since``…``until`` (default: the last 30 days), the core
    figures, and those of each channel group asked for in ``groups[]``."""
    groups = params.strings("groups") or ["core"]
    unknown = [g for g in groups if g != "core" and g not in GROUPS]
    if unknown:
        raise ParamError("groups", "must be among core, " + ", ".join(GROUPS))
    condition = _range(params, "created_at", "since", "until")
    if "since" not in params and "until" not in params:
        condition = Q(created_at__gte=timezone.now() - DEFAULT_WINDOW)
    answers = _answers(key).filter(condition)
    body: dict[str, Any] = _figures(answers, key.survey)
    for group in groups:
        if group != "core":
            body[group] = _figures(answers.filter(channel__in=GROUPS[group]), key.survey)
    return respond(body)
