"""Shared fixtures of the comment-analytics tests: the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).with_name("corpus.jsonl")


def load_corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    return load_corpus()
