"""The checks of the page tests find what they look for (so that their passing means it)."""

from __future__ import annotations

from typing import Any

import pytest

from .checks import overflow, serious_violations, untranslated

pytestmark = pytest.mark.slow


def test_the_checks_find_a_violation_an_overflow_and_english_on_a_polish_page(
        browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content('<!doctype html><html lang="pl"><head><title>t</title></head><body>'
                     '<main><h1>Ankiety</h1><button></button>'
                     '<p style="color:#bbb;background:#fff">Filtry</p>'
                     '<div style="width:900px">Filters</div><p>Zastosuj</p>'
                     '<p>95% interval 22,5 to 29,7</p><blockquote>Filters</blockquote>'
                     '</main></body></html>')
    violations = serious_violations(page)
    assert any(v.startswith("button-name") for v in violations), violations
    assert any(v.startswith("color-contrast") for v in violations), violations
    assert overflow(page)
    left = untranslated(page, "pl")
    assert any(text.startswith("'Filters'") for text in left), left
    assert any("95% interval" in text for text in left), left
    assert not any("Zastosuj" in text or "Ankiety" in text for text in left)
    assert len([t for t in left if t.startswith("'Filters'")]) == 1  # not the quoted data
    page.close()
