"""Comment analytics in six languages: what detractors, passives and promoters write about.

Offline and on the user's server: language detection (py3langid), tokens and lemmas
(simplemma), key words and phrases per score group, "Fightin' Words" contrast between
groups (Monroe, Colaresi & Quinn 2008), a themes taxonomy that users can extend, per-theme
NPS and impact, and suggestions for themes the taxonomy misses. No Django here.
"""

from opennps.text._analyze import AnalyzedText, analyze_text, ngrams
from opennps.text._collect import Answer, TaggedAnswer
from opennps.text._contrast import Contrast, KeyTerm, TermContrast
from opennps.text._fightin_words import TermScore, fightin_words
from opennps.text._files import FileThemes, analyze_themes_file, write_tags
from opennps.text._language import LANGUAGES, check_language, detect_language
from opennps.text._lexicon import lemmatize, negations, stop_words
from opennps.text._render import THEMES_FORMATS, render_themes, themes_document
from opennps.text._report import AnswerCounts, ThemesReport, analyze_comments, tag_comments
from opennps.text._suggest import SuggestedTheme, suggest_themes
from opennps.text._tagger import ThemeTagger, fold
from opennps.text._taxonomy import (
    KEYWORD_LANGUAGES,
    STARTER_THEMES,
    Taxonomy,
    Theme,
    load_taxonomy,
    parse_taxonomy,
    starter_taxonomy,
    theme_label,
    theme_to_toml,
)
from opennps.text._theme_stats import ThemePeriod, ThemeSegment, ThemeStats
from opennps.text._tokenize import MAX_COMMENT_CHARS, tokenize

__all__ = [
    "AnalyzedText",
    "Answer",
    "AnswerCounts",
    "Contrast",
    "FileThemes",
    "KEYWORD_LANGUAGES",
    "KeyTerm",
    "LANGUAGES",
    "MAX_COMMENT_CHARS",
    "STARTER_THEMES",
    "SuggestedTheme",
    "THEMES_FORMATS",
    "TaggedAnswer",
    "Taxonomy",
    "TermContrast",
    "TermScore",
    "Theme",
    "ThemePeriod",
    "ThemeSegment",
    "ThemeStats",
    "ThemeTagger",
    "ThemesReport",
    "analyze_comments",
    "analyze_text",
    "analyze_themes_file",
    "check_language",
    "detect_language",
    "fightin_words",
    "fold",
    "lemmatize",
    "load_taxonomy",
    "negations",
    "ngrams",
    "parse_taxonomy",
    "render_themes",
    "starter_taxonomy",
    "stop_words",
    "suggest_themes",
    "tag_comments",
    "theme_label",
    "theme_to_toml",
    "themes_document",
    "tokenize",
    "write_tags",
]
