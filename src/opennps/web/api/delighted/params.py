"""Request parameters as Delighted's clients send them, merged into one nested dict.

The four official clients and curl users send the same parameters in different ways
(reference §2.5): a query string with Rails brackets (``expand[]=person``,
``properties[plan]=pro``) or with repeated keys (``expand=person&expand=notes``), a JSON
body (also ``{}`` on a GET), a form-encoded body with brackets (PHP), or nothing. This
module merges them all (query first, body on top) and offers typed readers that turn a bad
value into a :class:`ParamError` naming the field, for the 422 response.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


class ParamError(Exception):
    """A parameter has a value the endpoint cannot use: ``errors`` maps field → messages."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.errors = {field: [message]}


def _put(node: dict[str, Any], keys: list[str], value: str) -> None:
    key, rest = keys[0], keys[1:]
    if not rest:  # a plain key; repeated, it is an array
        if key in node:
            existing = node[key]
            node[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            node[key] = value
        return
    if rest == [""]:  # key[]
        current = node.get(key)
        if not isinstance(current, list):
            current = [] if current is None else [current]
            node[key] = current
        current.append(value)
        return
    if rest[0] == "":  # key[][sub]: no client sends it; read as key[sub]
        rest = rest[1:]
    child = node.get(key)
    if not isinstance(child, dict):
        child = {}
        node[key] = child
    _put(child, rest, value)


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Bracket and repeated-key pairs as nested dicts and lists:
    ``expand[]=a`` and ``expand=a&expand=b`` give lists, ``properties[plan]=pro`` a dict."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        head, bracket, rest = name.partition("[")
        if not head:
            continue
        keys = [head] + (_BRACKETS.findall("[" + rest) if bracket else [])
        _put(out, keys, value)
    return out


def _body(request: HttpRequest) -> dict[str, Any]:
    raw = request.body
    if not raw or not raw.strip():
        return {}
    content_type = request.content_type or ""
    text = raw.decode("utf-8", "replace").strip()
    if content_type.startswith("application/json") or text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            try:  # the docs' own curl example has a trailing comma
                data = json.loads(_TRAILING_COMMA.sub(r"\1", text))
            except ValueError:
                raise ParamError("body", "is not valid JSON") from None
        if not isinstance(data, dict):
            raise ParamError("body", "must be a JSON object")
        return data
    if content_type.startswith("application/x-www-form-urlencoded") or "=" in text:
        return parse_pairs(parse_qsl(text, keep_blank_values=True))
    return {}


def read(request: HttpRequest) -> dict[str, Any]:
    """The request's parameters: the query string's, then the body's on top."""
    merged = parse_pairs(parse_qsl(request.META.get("QUERY_STRING", ""),
                                   keep_blank_values=True))
    merged.update(_body(request))
    return merged


class Params:
    """Typed access to merged parameters."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __contains__(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def string(self, name: str, *, max_length: int | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise ParamError(name, "must be a string")
        text = str(value).strip()
        if max_length is not None and len(text) > max_length:
            raise ParamError(name, f"must be less than {max_length} characters")
        return text

    def integer(self, name: str, *, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ParamError(name, "must be an integer")
        try:
            number = int(value) if not isinstance(value, float) or value.is_integer() \
                else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            raise ParamError(name, "must be an integer")
        if minimum is not None and number < minimum:
            raise ParamError(name, f"must be greater than or equal to {minimum}")
        if maximum is not None and number > maximum:
            raise ParamError(name, f"must be less than or equal to {maximum}")
        return number

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        raise ParamError(name, "must be true or false")

    def strings(self, name: str) -> list[str]:
        """An array parameter: ``name[]=a``, ``name=a&name=b``, ``name=a`` or a JSON list."""
        value = self.data.get(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [str(item).strip() for item in items if str(item).strip()]

    def mapping(self, name: str) -> dict[str, Any] | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, dict):
            raise ParamError(name, "must be an object of names and values")
        return value
