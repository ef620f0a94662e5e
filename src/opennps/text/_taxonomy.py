"""Themes of customer feedback and their keywords: the taxonomy file, loaded and checked.

A taxonomy is a TOML file (format described in docs/themes.md; the starter taxonomy in
``opennps/text/data/taxonomy.toml`` is a complete example to copy)::

    format = 1
    base = "starter"            # or "none": start from an empty taxonomy

    [themes.delivery]
    label = "Delivery"
    description = "Shipping, couriers, parcels, arrival."
    en = ["delivery", "courier", "ship*", "arrived late"]
    pl = ["dostawa", "kurier", "przesyłk*"]
    any = ["dhl"]               # matched in every language

    [themes.price]
    extend = true               # add these keywords to the starter's lists
    pl = ["promocja"]

    [themes.staff]
    disabled = true             # drop a starter theme

A keyword is one word or a phrase of words separated by spaces. A word matches a token
whose written form or lemma equals the word or the word's lemma; a word ending in ``*``
matches every token whose form or lemma starts with what precedes the star (compounds:
``toimitus*`` matches "toimitusaika"). A phrase matches consecutive tokens.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from opennps._i18n import N_
from opennps._i18n import gettext as _
from opennps.errors import FileFormatError, InvalidValueError
from opennps.text._language import LANGUAGES

__all__ = [
    "KEYWORD_LANGUAGES",
    "STARTER_THEMES",
    "Taxonomy",
    "Theme",
    "keyword_words",
    "load_taxonomy",
    "parse_taxonomy",
    "starter_taxonomy",
    "theme_label",
    "theme_to_toml",
]

#: Keys of a theme that hold keyword lists: the six languages and "any".
KEYWORD_LANGUAGES: tuple[str, ...] = (*LANGUAGES, "any")
#: Theme ids of the starter taxonomy, with their labels marked for translation.
STARTER_THEMES: dict[str, str] = {
    "price": N_("Price"),
    "support": N_("Support"),
    "quality": N_("Quality"),
    "delivery": N_("Delivery"),
    "usability": N_("Usability"),
    "billing": N_("Billing"),
    "staff": N_("Staff"),
    "speed": N_("Speed"),
    "reliability": N_("Reliability"),
    "communication": N_("Communication"),
}
_THEME_ID = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_TOP_KEYS = ("format", "base", "themes")
_THEME_KEYS = ("label", "description", "extend", "disabled", *KEYWORD_LANGUAGES)
_MIN_PREFIX = 3
_KEYWORD_SPLIT = re.compile(r"[\s\-‐–]+")
_KEYWORD_WORD = re.compile(r"\*?[^\W\d_]+(?:'[^\W\d_]+)*\*?")


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: an id, a label, and keywords per language (``"any"``: every language)."""

    id: str
    label: str
    description: str = ""
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """An ordered set of themes.

    Examples
    --------
    >>> t = starter_taxonomy()
    >>> t.ids()
    ('price', 'support', 'quality', 'delivery', 'usability', 'billing', 'staff', 'speed',
     'reliability', 'communication')
    >>> "dostaw*" in t["delivery"].keywords["pl"]
    True
    """

    themes: tuple[Theme, ...]

    def ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def __len__(self) -> int:
        return len(self.themes)

    def to_toml(self) -> str:
        """This taxonomy as a TOML file that :func:`parse_taxonomy` reads back."""
        lines = ["format = 1", 'base = "none"', ""]
        for theme in self.themes:
            lines.append(theme_to_toml(theme))
        return "\n".join(lines)


def theme_label(theme_id: str, label: str) -> str:
    """A theme's label as shown: a starter theme still under its starter label in the
    active language, any other label as its owner wrote it.

    >>> from opennps._i18n import override
    >>> with override("pl"):
    ...     theme_label("delivery", "Delivery"), theme_label("delivery", "Shipping")
    ('Dostawa', 'Shipping')
    """
    return _(label) if STARTER_THEMES.get(theme_id) == label else label


def theme_to_toml(theme: Theme, *, comment: str = "") -> str:
    """One ``[themes.ID]`` table of a taxonomy file.

    >>> print(theme_to_toml(Theme("parking", "Parking", keywords={"en": ("parking",)})))
    [themes.parking]
    label = "Parking"
    en = ["parking"]
    <BLANKLINE>
    """
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [f"[themes.{theme.id}]", f"label = {_quote(theme.label)}"]
    if theme.description:
        lines.append(f"description = {_quote(theme.description)}")
    for language in KEYWORD_LANGUAGES:
        words = theme.keywords.get(language, ())
        if words:
            lines.append(f"{language} = [{', '.join(_quote(w) for w in words)}]")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def starter_taxonomy() -> Taxonomy:
    """The taxonomy shipped with OpenNPS: ten themes, keywords in six languages."""
    text = resources.files("opennps.text").joinpath("data/taxonomy.toml").read_text(
        encoding="utf-8")
    return parse_taxonomy(text, name="taxonomy.toml", base=Taxonomy(()))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The starter taxonomy, merged with (or replaced by) the file at ``path``.

    Raises :class:`~opennps.errors.FileFormatError` when the file cannot be read or is not
    TOML and :class:`~opennps.errors.InvalidValueError` for a bad entry; both messages
    name the file, the theme and the key.
    """
    if path is None:
        return starter_taxonomy()
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FileFormatError(
            _("cannot read the taxonomy file {name}: {reason}. Check the path, and save the "
              "file as UTF-8 text.").format(name=name, reason=error)) from None
    return parse_taxonomy(text, name=name)


def parse_taxonomy(text: str, *, name: str = "<taxonomy>", base: Taxonomy | None = None
                   ) -> Taxonomy:
    """Read a taxonomy from TOML ``text``; ``base`` defaults to the starter taxonomy.

    Examples
    --------
    >>> t = parse_taxonomy('[themes.parking]\\nlabel = "Parking"\\nen = ["parking*"]')
    >>> t.ids()[-1], len(t)
    ('parking', 11)
    >>> parse_taxonomy('[themes.Parking]\\nen = ["x"]', name="my.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    opennps.errors.InvalidValueError: my.toml: theme id 'Parking' is not allowed; ...
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FileFormatError(
            _("{name} is not a valid TOML file: {reason}. Fix the syntax there (see "
              "docs/themes.md for the format).").format(name=name, reason=error)) from None
    _check_keys(document, _TOP_KEYS, name=name, where=_("at the top level"))
    if document.get("format", 1) != 1:
        raise _bad(name, "format", document["format"], _("the number 1"))
    base_name = document.get("base", "starter")
    if base_name not in ("starter", "none"):
        raise _bad(name, "base", base_name, _("\"starter\" or \"none\""))
    if base is None:
        base = starter_taxonomy() if base_name == "starter" else Taxonomy(())
    elif base_name == "none":
        base = Taxonomy(())
    tables = document.get("themes", {})
    if not isinstance(tables, dict):
        raise _bad(name, "themes", tables, _("a table of [themes.ID] tables"))
    themes = {theme.id: theme for theme in base.themes}
    for theme_id, table in tables.items():
        if not _THEME_ID.fullmatch(theme_id):
            raise InvalidValueError(
                _("{name}: theme id {value!r} is not allowed; expected lower-case letters, "
                  "digits, '-' or '_', starting with a letter (at most 40). Rename the "
                  "[themes.{value}] table.").format(name=name, value=theme_id),
                column=theme_id, value=theme_id)
        if not isinstance(table, dict):
            raise _bad(name, f"themes.{theme_id}", table, _("a table"))
        _check_keys(table, _THEME_KEYS, name=name,
                    where=_("in [themes.{id}]").format(id=theme_id))
        if table.get("disabled", False) is True:
            themes.pop(theme_id, None)
            continue
        themes[theme_id] = _merge(themes.get(theme_id), theme_id, table, name)
    return Taxonomy(tuple(themes.values()))


def _merge(old: Theme | None, theme_id: str, table: dict[str, Any], name: str) -> Theme:
    for key in ("label", "description"):
        if key in table and not isinstance(table[key], str):
            raise _bad(name, f"themes.{theme_id}.{key}", table[key], _("a text in quotes"))
    for key in ("extend", "disabled"):
        if key in table and not isinstance(table[key], bool):
            raise _bad(name, f"themes.{theme_id}.{key}", table[key], _("true or false"))
    keywords: dict[str, tuple[str, ...]] = dict(old.keywords) if old else {}
    extend = bool(table.get("extend", False))
    for language in KEYWORD_LANGUAGES:
        if language not in table:
            continue
        words = _keywords(table[language], name, f"themes.{theme_id}.{language}")
        if extend:
            words = tuple(dict.fromkeys((*keywords.get(language, ()), *words)))
        keywords[language] = words
    if not any(keywords.values()):
        raise InvalidValueError(
            _("{name}: theme {id!r} has no keywords. Give at least one list, e.g. "
              "en = [\"parking\"], or set disabled = true to drop it.").format(
                name=name, id=theme_id), column=theme_id)
    label = table.get("label", old.label if old else theme_id.replace("_", " ").capitalize())
    description = table.get("description", old.description if old else "")
    return Theme(theme_id, label, description, keywords)


def _keywords(value: object, name: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad(name, key, value, _("a list of texts, e.g. [\"delivery\", \"ship*\"]"))
    words: list[str] = []
    for raw in value:
        keyword = " ".join(keyword_words(raw))
        problem = _keyword_problem(keyword)
        if problem:
            raise InvalidValueError(
                _("{name}, {key}: keyword {value!r} {problem}. Fix or remove the keyword.")
                .format(name=name, key=key, value=raw, problem=problem), column=key, value=raw)
        words.append(keyword)
    return tuple(dict.fromkeys(words))


def keyword_words(keyword: str) -> list[str]:
    """The words of a keyword as comments are split: "e-mail*" is the phrase "e mail*".

    >>> keyword_words("E-mail*  updates"), keyword_words("customer's *care")
    (['e', 'mail*', 'updates'], ["customer's", '*care'])
    """
    return [word for word in _KEYWORD_SPLIT.split(keyword.lower().replace("’", "'")) if word]


def _keyword_problem(keyword: str) -> str:
    words = keyword_words(keyword)
    if not words:
        return _("is empty")
    for word in words:
        if not _KEYWORD_WORD.fullmatch(word):
            return _("holds something other than letters, spaces, hyphens, apostrophes and "
                     "a '*' at the start or end of a word (digits and punctuation never "
                     "occur inside the words of a comment)")
        stem = word.strip("*")
        if word.endswith("*") and not word.startswith("*") and len(stem) < _MIN_PREFIX:
            return _("is a prefix of fewer than {n} letters, which would match too many "
                     "words").format(n=_MIN_PREFIX)
        if word.startswith("*") and len(stem) < _MIN_PREFIX + 1:
            return _("is a suffix or infix of fewer than {n} letters, which would match too "
                     "many words").format(n=_MIN_PREFIX + 1)
    return ""


def _check_keys(table: dict[str, Any], allowed: tuple[str, ...], *, name: str,
                where: str) -> None:
    for key in table:
        if key not in allowed:
            raise InvalidValueError(
                _("{name}: unknown key {key!r} {where}; allowed keys are {allowed}. Fix the "
                  "spelling or remove it.").format(name=name, key=key, where=where,
                                                   allowed=", ".join(allowed)),
                column=key)


def _bad(name: str, key: str, value: object, expected: str) -> InvalidValueError:
    return InvalidValueError(
        _("{name}, {key}: got {value!r}; expected {expected}. Fix the value.").format(
            name=name, key=key, value=value, expected=expected), column=key, value=value)
