"""Suggested themes: clusters of uncovered comments that can be accepted into the taxonomy."""

from __future__ import annotations

from opennps.text import ThemeTagger, analyze_comments, analyze_text, parse_taxonomy

COMMENTS = [
    ("No parking spaces near the store", 3), ("Parking is always full", 4),
    ("The parking lot is far too small", 2), ("Could not find parking again", 5),
    ("Parking costs nothing, nice", 9), ("Brak miejsc na parkingu", 3),
    ("Parking zawsze zapchany", 2), ("Na parkingu nie ma miejsca", 4),
    ("The music in the shop is too loud", 6), ("Music way too loud today", 5),
    ("Loud music all day", 4), ("Too loud music, headache", 3),
    ("Fast delivery", 10), ("Great price", 9),
]


def _by_seed(report: object) -> dict[str, object]:
    return {s.top_terms[0]: s for s in report.suggestions}  # type: ignore[attr-defined]


def test_uncovered_comments_form_suggested_themes_with_their_nps() -> None:
    report = analyze_comments(COMMENTS, min_count=3)
    # "Parking costs nothing" is covered (price); simplemma lemmatises English "parking"
    # to "park", so English and Polish parking comments form two clusters.
    assert report.counts.uncovered == 11
    found = _by_seed(report)
    assert set(found) == {"loud", "park", "parking"}
    loud, park, parking = found["loud"], found["park"], found["parking"]
    assert (loud.size, loud.languages, loud.nps) == (4, {"en": 4}, -100.0)
    assert "music" in loud.top_terms
    assert (park.size, park.languages, park.share) == (4, {"en": 4}, 4 / 11)
    assert (parking.size, parking.languages) == (3, {"pl": 3})
    assert all(s.examples for s in report.suggestions)


def test_a_suggestion_accepted_into_the_taxonomy_tags_its_comments() -> None:
    report = analyze_comments(COMMENTS, min_count=3)
    suggestion = _by_seed(report)["parking"]
    entry = suggestion.to_toml()  # type: ignore[attr-defined]
    assert entry.startswith("# Suggested from 3 comments without a theme")
    taxonomy = parse_taxonomy(entry, name="accepted.toml")
    theme_id = taxonomy.ids()[-1]
    assert theme_id.startswith("suggested-") and taxonomy[theme_id].label == "Parking"
    tagger = ThemeTagger(taxonomy)
    for text, _score in COMMENTS[5:8]:
        assert theme_id in tagger.tag(analyze_text(text))
    # The Polish keyword "parking" also matches the English comments as written.
    again = analyze_comments(COMMENTS, taxonomy=taxonomy, min_count=3)
    assert again.counts.uncovered == 4
    assert set(_by_seed(again)) == {"loud"}


def test_no_suggestions_when_asked_for_none_or_too_few_comments() -> None:
    assert analyze_comments(COMMENTS, suggestions=0).suggestions == ()
    assert analyze_comments(COMMENTS, min_count=20).suggestions == ()
