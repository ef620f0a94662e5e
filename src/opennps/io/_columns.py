"""Which column holds the score, the date, the comment and the response id.

Headers are compared case-insensitively after folding ``_`` to a space, collapsing spaces
and dropping trailing punctuation; a column matches through any of its labels (its name,
or for vendor exports the question text above it). Each role is decided in tiers; within
a tier the leftmost column wins, so the choice is deterministic. See docs/files.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from opennps._i18n import gettext as _
from opennps.core import Scale
from opennps.errors import MissingColumnError

__all__ = ["date_candidates", "find_column", "find_comment", "find_id", "find_score",
           "normalize_header", "quote_list"]

# Stems of "recommend" in the six languages: recommend, polecić/polecisz, рекомендовать,
# suositella, rekomenduoti, rekommendera.
_RECOMMEND = re.compile(r"recommend|polec|рекоменд|suosit|rekomend|rekommend")
# Words that ask "why" or name a comment: a column holding them is not the score.
_REASON = re.compile(
    r"\b(why|reason|comment|comments|explain|dlaczego|powód|powod|uzasadn|komentarz|почему|"
    r"причин|коммент|miksi|syy|perustel|komment|kodėl|priežast|komentar|varför|anledning|"
    r"orsak|motiver)"
)
_GROUP = re.compile(
    r"\b(group|category|segment|type|class|grupa|kategoria|группа|категория|ryhmä|luokka|"
    r"grupė|kategorija|grupp|kategori)\b|_nps_group$"
)
_SCORE_WORDS = ("score", "rating", "ocena", "wynik", "оценка", "балл", "arvosana", "arvio",
                "pisteet", "įvertinimas", "balas", "betyg", "poäng")
_NPS_NAMES = ("ltr", "likelihood to recommend", "net promoter score", "recommend score")
_COMMENT_NAMES = (
    "comment", "comments", "feedback", "reason", "verbatim", "open-ended response",
    "komentarz", "komentarze", "uzasadnienie", "opinia", "комментарий", "комментарии", "отзыв",
    "причина", "kommentti", "kommentit", "palaute", "perustelu", "komentaras", "komentarai",
    "atsiliepimas", "priežastis", "kommentar", "kommentarer", "motivering", "anledning",
)
_COMMENT_WORDS = re.compile(r"comment|koment|коммент|komment")
# Dates, best first: when a response was submitted before when it was started.
_DATE_NAMES = (
    "submit date", "submitted at", "submitted", "end date", "enddate", "recordeddate",
    "recorded date", "completed at", "completion date", "response date", "responded at",
    "answered at", "answer date", "answered",
    "response timestamp", "created at", "createdat", "created", "date", "timestamp", "time",
    "data", "data odpowiedzi", "дата", "дата ответа", "päivämäärä", "pvm", "datum",
    "atsakymo data", "svarsdatum", "stage date", "start date", "startdate", "started at",
)
_DATE_WORDS = re.compile(r"\b(date|data|дата|päivämäärä|datum|timestamp)\b")
_ID_NAMES = (
    "id", "#", "response id", "responseid", "respondent id", "respondentid", "submission id",
    "record id", "answer id", "uuid", "token", "identyfikator", "id odpowiedzi", "идентификатор",
    "id ответа", "tunniste", "vastauksen tunniste", "identifikatorius", "atsakymo id", "svars-id",
)


def normalize_header(text: str, *, drop_parentheses: bool = False) -> str:
    """Fold a header for comparison: lower case, ``_`` as space, no trailing punctuation.

    Examples
    --------
    >>> normalize_header("  Created_At: ")
    'created at'
    >>> normalize_header("Submit Date (UTC)", drop_parentheses=True)
    'submit date'
    """
    folded = text.casefold().replace("_", " ")
    if drop_parentheses:
        folded = re.sub(r"\([^)]*\)", " ", folded)
    folded = " ".join(folded.split())
    return folded.strip(" ?:*.…!\"'") or folded


def _forms(labels: Iterable[str]) -> list[str]:
    forms: list[str] = []
    for label in labels:
        for drop in (False, True):
            form = normalize_header(label, drop_parentheses=drop)
            if form and form not in forms:
                forms.append(form)
    return forms


def _first(columns: Sequence[str], labels: Sequence[Sequence[str]],
           test: Callable[[list[str]], bool], skip: Iterable[str] = ()) -> str | None:
    excluded = set(skip)
    for column, label in zip(columns, labels, strict=True):
        if column not in excluded and test(_forms(label)):
            return column
    return None


def _by_name_order(columns: Sequence[str], labels: Sequence[Sequence[str]],
                   names: Sequence[str], skip: Iterable[str] = ()) -> list[str]:
    excluded = set(skip)
    ranked: list[tuple[int, int, str]] = []
    for position, (column, label) in enumerate(zip(columns, labels, strict=True)):
        forms = _forms(label)
        ranks = [names.index(form) for form in forms if form in names]
        if ranks and column not in excluded:
            ranked.append((min(ranks), position, column))
    return [column for _rank, _position, column in sorted(ranked)]


def find_score(columns: Sequence[str], labels: Sequence[Sequence[str]], scale: Scale,
               hints: Sequence[str] = ()) -> str | None:
    """Return the score column, or None.

    Tiers: the vendor's own (a Qualtrics ``Qn`` with a ``Qn_NPS_GROUP`` beside it); the
    recommend question in any of the six languages (0–10 scales only); a name holding
    "NPS" (or the scale's name, e.g. "CSAT"); a score word ("Score", "Ocena", "Оценка",
    "Arvosana", "Įvertinimas", "Betyg", …) alone; a header containing one. Columns that
    ask why, hold comments, or name a group ("NPS group") are never the score.

    Examples
    --------
    >>> from opennps.core import NPS_SCALE
    >>> cols = ["Score", "Jak prawdopodobne jest, że polecisz nas znajomemu?", "Dlaczego?"]
    >>> find_score(cols, [(c,) for c in cols], NPS_SCALE)
    'Jak prawdopodobne jest, że polecisz nas znajomemu?'
    """
    if hints:
        return hints[0]

    def plain(forms: list[str]) -> bool:
        return not any(_REASON.search(form) or _GROUP.search(form) for form in forms)

    own_names = {scale.name, f"{scale.name} score"}
    tiers: list[Callable[[list[str]], bool]] = [
        lambda forms: scale.is_recommend and any(_RECOMMEND.search(form) for form in forms),
        lambda forms: any(form in own_names or (scale.is_recommend and (
            form in _NPS_NAMES or ("nps" in form.split() and len(form.split()) <= 3)))
            for form in forms),
        lambda forms: any(form in _SCORE_WORDS for form in forms),
        lambda forms: any(word in _SCORE_WORDS for form in forms for word in form.split()),
    ]
    for tier in tiers:
        def test(forms: list[str], tier: Callable[[list[str]], bool] = tier) -> bool:
            return plain(forms) and tier(forms)

        found = _first(columns, labels, test)
        if found:
            return found
    return None


def date_candidates(columns: Sequence[str], labels: Sequence[Sequence[str]],
                    hints: Sequence[str] = (), skip: Iterable[str] = ()) -> list[str]:
    """Return the columns that may hold the response date, best first.

    Vendor hints first, then known names in the order of ``_DATE_NAMES`` (submitted
    before created before started), then any header holding a date word. The caller
    keeps the first whose values parse as dates.

    Examples
    --------
    >>> cols = ["Start Date", "End Date", "Custom Data 1"]
    >>> date_candidates(cols, [(c,) for c in cols])
    ['End Date', 'Start Date', 'Custom Data 1']
    """
    skipped = set(skip)
    ordered = [column for column in hints if column not in skipped]
    ordered += _by_name_order(columns, labels, _DATE_NAMES, skip=skipped)
    for column, label in zip(columns, labels, strict=True):
        if column not in skipped and any(_DATE_WORDS.search(form) for form in _forms(label)):
            ordered.append(column)
    return list(dict.fromkeys(ordered))


def find_comment(columns: Sequence[str], labels: Sequence[Sequence[str]],
                 hints: Sequence[str] = (), skip: Iterable[str] = ()) -> str | None:
    """Return the comment column, or None.

    Tiers: vendor hint; a comment name ("Comment", "Komentarz", "Комментарий", "Kommentti",
    "Komentaras", "Kommentar", "Reason", …); a question asking why ("What is the main
    reason…", "Dlaczego…", "Почему…", "Miksi…", "Kodėl…", "Varför…"); a header containing
    a comment word.
    """
    skipped = list(skip)
    for hint in hints:
        if hint not in skipped:
            return hint
    for tier in (lambda forms: any(form in _COMMENT_NAMES for form in forms),
                 lambda forms: any(_REASON.search(form) for form in forms),
                 lambda forms: any(_COMMENT_WORDS.search(form) for form in forms)):
        found = _first(columns, labels, tier, skip=skipped)
        if found:
            return found
    return None


def find_id(columns: Sequence[str], labels: Sequence[Sequence[str]],
            hints: Sequence[str] = (), skip: Iterable[str] = ()) -> str | None:
    """Return the response id column, or None.

    Tiers: vendor hint ("ResponseId", "Respondent ID", Typeform's "#"); a known id name
    ("ID", "Response ID", "#", "UUID", "Identyfikator", …); a header whose last word is
    "id" ("Customer ID").
    """
    skipped = list(skip)
    for hint in hints:
        if hint not in skipped:
            return hint
    for tier in (lambda forms: any(form in _ID_NAMES for form in forms),
                 lambda forms: any(form.split()[-1:] == ["id"] for form in forms)):
        found = _first(columns, labels, tier, skip=skipped)
        if found:
            return found
    return None


def find_column(wanted: str, columns: Sequence[str], *, option: str, name: str,
                role: str | None = None) -> str:
    """Return the column the user named: exact, else the one equal ignoring case and spaces.

    Raises
    ------
    MissingColumnError
        No column has that name; the message lists the columns found and the option
        (``role`` and ``options`` tell other surfaces which of their fields it was).
    """
    if wanted in columns:
        return wanted
    folded = [column for column in columns if normalize_header(column) == normalize_header(wanted)]
    if len(folded) == 1:
        return folded[0]
    problem = _("column '{column}' is not in {name}; columns found: {found}.").format(
        column=wanted, name=name, found=quote_list(columns))
    raise MissingColumnError(
        problem + " " + _("Pass {option} with one of these names.").format(option=option),
        column=wanted, found=tuple(columns), role=role, problem=problem, options=(option,),
    )


def quote_list(columns: Sequence[str]) -> str:
    """Return ``'a', 'b'`` for messages (``(none)`` when empty)."""
    return ", ".join(f"'{column}'" for column in columns) or _("(none)")
