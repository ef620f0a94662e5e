"""Benchmark the comment analysis (``opennps.text.analyze_comments``) against a regex count.

Data: ``--rows`` comments (default 100,000) in English, Polish, Russian, Finnish,
Lithuanian and Swedish, generated from templates with variation (inflected forms, several
clauses, mixed case, emoji, typos, URLs), with 0–10 scores that follow the tone and dates
over a year. Seeded, so every run analyses the same comments.

Contenders, in the same process, on the same list of comments:

- ``opennps``: ``analyze_comments`` with the starter taxonomy and a monthly trend:
  language detection, tokens and lemmas, key terms per group, Fightin' Words contrasts
  (all languages and per language), theme tagging, per-theme NPS with intervals, and
  suggested themes;
- ``regex``: the baseline, a plain ``re.findall(r"\\w+", text.lower())`` word count into a
  ``collections.Counter``.

Loading the language model and the six lemma dictionaries happens once per process; it is
timed apart ("cold start") and then the analysis is timed warm. Target (2 cores): the
analysis of 100,000 comments within 60 s.

Run from the repository root: ``.venv/bin/python benchmarks/themes.py [--rows 100000]``.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from datetime import date, timedelta

TARGET_SECONDS = 60.0

# Per language: (tone, phrase) with tone +1 praise, -1 complaint, 0 neutral.
PHRASES: dict[str, list[tuple[int, str]]] = {
    "en": [(1, "fast delivery"), (-1, "the delivery was late again"), (1, "great price"),
           (-1, "way too expensive"), (1, "support solved my problem quickly"),
           (-1, "customer service never answers"), (1, "excellent quality"),
           (-1, "it broke after a week"), (-1, "the app keeps crashing"),
           (1, "very easy to use"), (-1, "I was charged twice"), (1, "friendly staff"),
           (-1, "nobody informed me about the delay"), (0, "I use it every day"),
           (0, "bought it for my office"), (-1, "the invoices are wrong"),
           (1, "deliveries always on time"), (-1, "the website is confusing")],
    "pl": [(1, "szybka dostawa"), (-1, "dostawa znowu spóźniona"), (1, "dobra cena"),
           (-1, "za drogo"), (1, "obsługa klienta szybko pomogła"),
           (-1, "nikt nie odbiera na infolinii"), (1, "świetna jakość"),
           (-1, "zepsuło się po tygodniu"), (-1, "aplikacja ciągle się zawiesza"),
           (1, "bardzo łatwa w obsłudze"), (-1, "pobrano opłatę dwa razy"),
           (1, "miły personel"), (-1, "nikt mnie nie poinformował o opóźnieniu"),
           (0, "używam codziennie"), (0, "kupiłem do biura"), (-1, "błędy na fakturze"),
           (1, "dostawy zawsze na czas"), (-1, "czekałem na dostawę tydzień")],
    "ru": [(1, "быстрая доставка"), (-1, "доставка опять опоздала"), (1, "хорошая цена"),
           (-1, "слишком дорого"), (1, "поддержка быстро помогла"),
           (-1, "в поддержке никто не отвечает"), (1, "отличное качество"),
           (-1, "сломалось через неделю"), (-1, "приложение постоянно вылетает"),
           (1, "очень удобно пользоваться"), (-1, "деньги списали дважды"),
           (1, "вежливый персонал"), (-1, "никто не сообщил о задержке"),
           (0, "пользуюсь каждый день"), (0, "купил для офиса"), (-1, "ошибки в счетах"),
           (1, "доставкой доволен"), (-1, "ждал доставку неделю")],
    "fi": [(1, "nopea toimitus"), (-1, "toimitus myöhästyi taas"), (1, "hyvä hinta"),
           (-1, "aivan liian kallis"), (1, "asiakaspalvelu auttoi nopeasti"),
           (-1, "asiakaspalveluun ei saa yhteyttä"), (1, "erinomainen laatu"),
           (-1, "hajosi viikossa"), (-1, "sovellus kaatuu jatkuvasti"),
           (1, "todella helppokäyttöinen"), (-1, "minulta veloitettiin kahdesti"),
           (1, "ystävällinen henkilökunta"), (-1, "kukaan ei ilmoittanut viivästyksestä"),
           (0, "käytän joka päivä"), (0, "ostin toimistolle"), (-1, "laskuissa on virheitä"),
           (1, "toimitukset aina ajallaan"), (-1, "odotin toimitusta viikon")],
    "lt": [(1, "greitas pristatymas"), (-1, "pristatymas vėl vėluoja"), (1, "gera kaina"),
           (-1, "per brangu"), (1, "klientų aptarnavimas greitai padėjo"),
           (-1, "niekas neatsiliepia telefonu"), (1, "puiki kokybė"),
           (-1, "sugedo po savaitės"), (-1, "programėlė nuolat užstringa"),
           (1, "labai patogu naudotis"), (-1, "nuskaičiavo pinigus du kartus"),
           (1, "malonūs darbuotojai"), (-1, "niekas nepranešė apie vėlavimą"),
           (0, "naudoju kasdien"), (0, "pirkau biurui"), (-1, "klaidos sąskaitose"),
           (1, "pristatymu labai patenkintas"), (-1, "pristatymo laukiau savaitę")],
    "sv": [(1, "snabb leverans"), (-1, "leveransen var sen igen"), (1, "bra pris"),
           (-1, "alldeles för dyrt"), (1, "kundtjänst hjälpte snabbt"),
           (-1, "kundtjänst svarar aldrig"), (1, "utmärkt kvalitet"),
           (-1, "gick sönder efter en vecka"), (-1, "appen kraschar hela tiden"),
           (1, "väldigt lätt att använda"), (-1, "jag debiterades två gånger"),
           (1, "trevlig personal"), (-1, "ingen meddelade förseningen"),
           (0, "använder den varje dag"), (0, "köpte den till kontoret"),
           (-1, "fel på fakturorna"), (1, "leveranserna alltid i tid"),
           (-1, "väntade en vecka på leveransen")],
}
EXTRAS = ["", "", "", " 👍", " 😡", " 🙂", "!!!", " https://example.com/x", "..."]


def generate(rows: int, seed: int = 2026) -> list[tuple[str, int, date]]:
    """``rows`` (comment, score, date) answers, the same for the same seed."""
    rng = random.Random(seed)
    languages = list(PHRASES)
    start = date(2025, 1, 1)
    out = []
    for _ in range(rows):
        phrases = PHRASES[rng.choice(languages)]
        chosen = rng.sample(phrases, rng.choice((1, 1, 2, 2, 3)))
        tone = sum(t for t, _p in chosen)
        text = ", ".join(p for _t, p in chosen)
        if rng.random() < 0.05:  # a typo: one letter dropped
            cut = rng.randrange(len(text))
            text = text[:cut] + text[cut + 1:]
        if rng.random() < 0.1:
            text = text.upper()
        text = text[0].upper() + text[1:] + rng.choice(EXTRAS)
        if tone > 0:
            score = rng.choice((8, 9, 9, 10, 10))
        elif tone < 0:
            score = rng.choice((0, 1, 2, 3, 4, 5, 6, 6, 7))
        else:
            score = rng.choice((6, 7, 8, 8, 9))
        out.append((text, score, start + timedelta(days=rng.randrange(365))))
    return out


def regex_count(answers: list[tuple[str, int, date]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    pattern = re.compile(r"\w+")
    for text, _score, _day in answers:
        counts.update(pattern.findall(text.lower()))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    started = time.perf_counter()
    from opennps.text import analyze_comments, starter_taxonomy

    answers = generate(args.rows, args.seed)
    generated = time.perf_counter()
    # Cold start: load the language model and the six lemma dictionaries once.
    warm = [(text, score, day) for text, score, day in generate(600, args.seed + 1)]
    analyze_comments(warm, taxonomy=starter_taxonomy())
    loaded = time.perf_counter()

    t0 = time.perf_counter()
    words = regex_count(answers)
    regex_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    report = analyze_comments(answers, period="month")
    opennps_seconds = time.perf_counter() - t0

    print(f"comments: {args.rows:,} in {len(PHRASES)} languages "
          f"(generated in {generated - started:.1f} s)")
    print(f"cold start (language model + lemma dictionaries): {loaded - generated:.1f} s")
    print(f"regex word count:  {regex_seconds:8.2f} s  ({len(words):,} distinct words)")
    print(f"opennps analysis:  {opennps_seconds:8.2f} s  "
          f"({args.rows / opennps_seconds:,.0f} comments/s)")
    print(f"ratio opennps / regex: {opennps_seconds / regex_seconds:.1f}x")
    print(f"languages: {report.counts.languages}")
    print("themes: " + ", ".join(f"{t.id} {t.mentions}" for t in report.themes))
    print("said more by detractors: "
          + ", ".join(t.term for t in report.contrast.more_by_a[:8]))
    print("said more by promoters: "
          + ", ".join(t.term for t in report.contrast.more_by_b[:8]))
    verdict = "within" if opennps_seconds <= TARGET_SECONDS else "OVER"
    print(f"target {TARGET_SECONDS:.0f} s: {verdict} "
          f"(with cold start {opennps_seconds + loaded - generated:.1f} s)")


if __name__ == "__main__":
    main()
