"""A realistic demo dataset of NPS answers (standard library only; Parquet through pyarrow).

The data are generated from a seed, so the same call always writes the same file. They
look like a mid-size company's two years of NPS: six countries answering in their own
languages, three plans, four channels, a slow improvement over time with a dip in one
region after a delivery problem, and comments whose themes follow the score (detractors
write about price, delivery and support; promoters about staff, quality and ease of use).
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from opennps._i18n import gettext as _
from opennps.core import NPS_SCALE
from opennps.errors import InvalidArgumentError

__all__ = ["COLUMNS", "DemoRow", "generate_demo_rows", "write_demo"]

COLUMNS = ("response_id", "answered_at", "score", "comment", "language", "region", "plan",
           "channel")

DemoRow = dict[str, str | int]

# region -> (language, share of answers, NPS tilt in score points)
_REGIONS = {
    "Poland": ("pl", 0.22, 0.3),
    "Russia": ("ru", 0.12, -0.4),
    "Finland": ("fi", 0.16, 0.5),
    "Lithuania": ("lt", 0.10, 0.0),
    "Sweden": ("sv", 0.15, 0.2),
    "United Kingdom": ("en", 0.25, -0.1),
}
_PLANS = {"basic": (0.5, -0.4), "pro": (0.35, 0.2), "enterprise": (0.15, 0.5)}
_CHANNELS = {"email": 0.55, "link": 0.2, "kiosk": 0.15, "web": 0.1}

# language -> group -> comments; each comment is about one or two themes.
_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "detractor": (
            "Far too expensive for what you get.",
            "The delivery was late again and nobody told me why.",
            "Support never answered my emails.",
            "The app keeps crashing when I try to pay.",
            "Billing charged me twice this month.",
            "Prices went up and the quality went down.",
        ),
        "passive": (
            "Good product, but delivery takes too long.",
            "Fine overall, the price is a bit high.",
            "Works, although the interface is confusing.",
            "Decent service, support could be faster.",
        ),
        "promoter": (
            "Friendly staff and a great product.",
            "Fast delivery and excellent quality.",
            "Very easy to use, I recommend it to everyone.",
            "Support solved my problem in minutes.",
        ),
    },
    "pl": {
        "detractor": (
            "Za drogo jak na taką jakość.",
            "Dostawa znowu się spóźniła, nikt nie poinformował.",
            "Obsługa klienta nie odpowiada na maile.",
            "Aplikacja ciągle się zawiesza przy płatności.",
            "Podwójnie obciążono mnie na fakturze.",
        ),
        "passive": (
            "Dobry produkt, ale dostawy trwają za długo.",
            "W porządku, tylko cena trochę wysoka.",
            "Działa, ale interfejs jest mało intuicyjny.",
        ),
        "promoter": (
            "Bardzo miła obsługa i świetny produkt.",
            "Szybka dostawa i doskonała jakość.",
            "Bardzo łatwy w użyciu, polecam wszystkim.",
        ),
    },
    "ru": {
        "detractor": (
            "Слишком дорого за такое качество.",
            "Доставка опять задержалась, никто не предупредил.",
            "Служба поддержки не отвечает на письма.",
            "Приложение постоянно зависает при оплате.",
            "С меня дважды списали деньги за счёт.",
        ),
        "passive": (
            "Хороший продукт, но доставка идёт слишком долго.",
            "В целом нормально, цена немного высокая.",
            "Работает, но интерфейс неудобный.",
        ),
        "promoter": (
            "Очень вежливый персонал и отличный продукт.",
            "Быстрая доставка и прекрасное качество.",
            "Очень удобно пользоваться, всем рекомендую.",
        ),
    },
    "fi": {
        "detractor": (
            "Aivan liian kallis tähän laatuun nähden.",
            "Toimitus myöhästyi taas eikä kukaan ilmoittanut.",
            "Asiakaspalvelu ei vastaa sähköposteihin.",
            "Sovellus kaatuu aina maksaessa.",
            "Laskutus veloitti minulta kahdesti.",
        ),
        "passive": (
            "Hyvä tuote, mutta toimituksen kanssa kestää liian kauan.",
            "Ihan ok, hinta on vähän korkea.",
            "Toimii, mutta käyttöliittymä on sekava.",
        ),
        "promoter": (
            "Ystävällinen henkilökunta ja loistava tuote.",
            "Nopea toimitus ja erinomainen laatu.",
            "Todella helppo käyttää, suosittelen kaikille.",
        ),
    },
    "lt": {
        "detractor": (
            "Per brangu už tokią kokybę.",
            "Pristatymas vėl vėlavo ir niekas nepranešė.",
            "Klientų aptarnavimas neatsako į laiškus.",
            "Programėlė nuolat užstringa mokant.",
            "Sąskaitoje nuskaičiavo du kartus.",
        ),
        "passive": (
            "Geras produktas, bet pristatymo tenka laukti per ilgai.",
            "Neblogai, tik kaina šiek tiek didelė.",
            "Veikia, bet sąsaja nepatogi.",
        ),
        "promoter": (
            "Labai malonus personalas ir puikus produktas.",
            "Greitas pristatymas ir puiki kokybė.",
            "Labai paprasta naudotis, rekomenduoju visiems.",
        ),
    },
    "sv": {
        "detractor": (
            "Alldeles för dyrt för den kvaliteten.",
            "Leveransen var sen igen och ingen hörde av sig.",
            "Kundtjänsten svarar aldrig på mejl.",
            "Appen kraschar hela tiden när jag ska betala.",
            "Fakturan drog pengar två gånger.",
        ),
        "passive": (
            "Bra produkt men leveranserna tar för lång tid.",
            "Helt okej, priset är lite högt.",
            "Fungerar, men gränssnittet är rörigt.",
        ),
        "promoter": (
            "Trevlig personal och en fantastisk produkt.",
            "Snabb leverans och utmärkt kvalitet.",
            "Väldigt lätt att använda, rekommenderar till alla.",
        ),
    },
}

# Score distributions by group propensity: index 0..10.
_BASE_WEIGHTS = (3, 2, 2, 3, 3, 5, 7, 10, 14, 17, 20)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _score(rng: random.Random, tilt: float) -> int:
    # Tilt shifts probability mass towards high (positive) or low (negative) scores.
    weights = [w * math.exp(tilt * (point - 7) / 3) for point, w in enumerate(_BASE_WEIGHTS)]
    return rng.choices(range(11), weights=weights)[0]


def _group(score: int) -> str:
    return NPS_SCALE.group(score).value


def generate_demo_rows(rows: int = 20_000, *, seed: int = 2026,
                       end: datetime = datetime(2026, 10, 31, 23, 0)) -> Iterator[DemoRow]:
    """Yield ``rows`` demo answers over the 24 months before ``end``, oldest first.

    Examples
    --------
    >>> first = next(generate_demo_rows(rows=3))
    >>> sorted(first) == sorted(COLUMNS)
    True
    >>> [r["score"] for r in generate_demo_rows(rows=5)] == [
    ...     r["score"] for r in generate_demo_rows(rows=5)]
    True
    """
    rng = random.Random(seed)
    start = end - timedelta(days=730)
    span = (end - start).total_seconds()
    offsets = sorted(rng.random() * span for _ in range(rows))
    regions = {name: share for name, (_, share, _) in _REGIONS.items()}
    plans = {name: share for name, (share, _) in _PLANS.items()}
    for number, offset in enumerate(offsets, start=1):
        answered_at = start + timedelta(seconds=int(offset))
        region = _pick(rng, regions)
        language, _, region_tilt = _REGIONS[region]
        plan = _pick(rng, plans)
        channel = _pick(rng, _CHANNELS)
        progress = offset / span  # 0 → 1 over the two years: a slow improvement
        tilt = region_tilt + _PLANS[plan][1] + 0.6 * progress
        if region == "Finland" and 0.55 < progress < 0.68:
            tilt -= 1.2  # a delivery problem in Finland for about three months
        if channel == "kiosk":
            tilt += 0.2
        score = _score(rng, tilt)
        comment = ""
        if rng.random() < 0.6:
            comment = rng.choice(_COMMENTS[language][_group(score)])
        yield {
            "response_id": f"R{number:07d}",
            "answered_at": answered_at.isoformat(sep=" "),
            "score": score,
            "comment": comment,
            "language": language,
            "region": region,
            "plan": plan,
            "channel": channel,
        }


def write_demo(path: str | Path, *, rows: int = 20_000, seed: int = 2026) -> Path:
    """Write the demo dataset; the format follows the extension (.csv, .jsonl, .parquet)."""
    target = Path(path)
    suffix = target.suffix.lower()
    data = generate_demo_rows(rows, seed=seed)
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(list(data))
        pq.write_table(table, target)
    elif suffix in {".jsonl", ".ndjson"}:
        with target.open("w", encoding="utf-8") as handle:
            for row in data:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif suffix == ".csv":
        with target.open("w", encoding="utf-8", newline="") as handle:
            _write_csv(handle, data)
    else:
        raise InvalidArgumentError(
            _("the demo file must end in .csv, .jsonl or .parquet, got {name!r}").format(
                name=target.name)
        )
    return target


def _write_csv(handle: io.TextIOBase, data: Iterator[DemoRow]) -> None:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(data)
