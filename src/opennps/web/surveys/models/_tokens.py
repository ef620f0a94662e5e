"""Unguessable tokens for public links."""

from __future__ import annotations

import secrets

TOKEN_BYTES = 24  # 192 random bits; the issue asks for at least 128
TOKEN_LENGTH = 32  # token_urlsafe(24) is 32 characters


def new_token() -> str:
    """Return a URL-safe token of 192 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)
