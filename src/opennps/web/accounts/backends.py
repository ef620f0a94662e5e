"""Sign in with an email address (case-insensitive) and a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        user_model = get_user_model()
        user = user_model._default_manager.filter(email__iexact=username.strip()).first()
        if user is None:
            user_model().set_password(password)  # same time as a real check: no user probing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
