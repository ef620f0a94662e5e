"""API tests: keys, and the official ``delighted`` client pointed at a live server."""

from __future__ import annotations

import warnings
from typing import Any

from opennps.web.api import keys
from opennps.web.api.models import Scope

with warnings.catch_warnings():
    # delighted 4.2.0 warns on import that Delighted was shut down (that is why we exist).
    warnings.simplefilter("ignore", FutureWarning)
    import delighted  # noqa: F401


def make_key(organisation: Any, *, survey: Any = None, scope: str = Scope.WRITE,
             **kwargs: Any) -> keys.NewKey:
    return keys.create_key(organisation, name=kwargs.pop("name", "test key"), scope=scope,
                           survey=survey, **kwargs)


def client(base_url: str, secret: str) -> Any:
    return delighted.Client(api_key=secret, api_base_url=base_url.rstrip("/") + "/v1/")
