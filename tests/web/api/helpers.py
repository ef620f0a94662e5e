"""API tests: keys, and the official ``delighted`` client pointed at a live server."""

from __future__ import annotations

import threading
import time
import warnings
from typing import Any

from django.test import LiveServerTestCase

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


class LiveServer(LiveServerTestCase):
    """A live server whose request threads have all ended before it stops sharing the
    in-memory SQLite connection with them: a thread still closing its connection after
    that (a reply sent, its socket not yet closed, on a loaded machine) raised "objects
    created in a thread can only be used in that same thread" into a later test."""

    @classmethod
    def setUpClass(cls) -> None:
        cls._earlier = set(_request_threads())  # another server's (a browser's keep-alive)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and set(_request_threads()) - cls._earlier:
            time.sleep(0.02)
        super().tearDownClass()


def _request_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate()
            if "process_request_thread" in thread.name and thread.is_alive()]
