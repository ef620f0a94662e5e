"""Text encodings: detection, transcoding, overrides and undecodable bytes."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from opennps.errors import FileFormatError, InvalidArgumentError
from opennps.io import Dataset, open_dataset

Fetch = Callable[[Dataset], list[dict[str, Any]]]

POLISH = ("Data;Ocena;Komentarz\n"
          "31.01.2025;9;Świetna obsługa, szybka dostawa. Polecę znajomym!\n"
          "01.02.2025;3;Zły kontakt, źle zapakowane, żółć i łzy\n")
RUSSIAN = ("Дата;Оценка;Комментарий\n"
           "31.01.2025;9;Отличный сервис, быстрая доставка\n"
           "01.02.2025;3;Ужасная поддержка, всё сломалось\n")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (RUSSIAN.encode("utf-8"), "utf-8"),
        (RUSSIAN.encode("utf-8-sig"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), "utf-16-be"),
        (RUSSIAN.encode("utf-16-le"), "utf-16-le"),  # no byte order mark
        (RUSSIAN.replace("\n", "\r\n").encode("cp1251"), "cp1251"),  # as Russian Excel saves
    ],
)
def test_russian_text_is_read_in_every_encoding(tmp_path: Path, fetch: Fetch, data: bytes,
                                                 encoding: str) -> None:
    path = tmp_path / "otvety.csv"
    path.write_bytes(data)
    with open_dataset(path) as ds:
        assert ds.encoding == encoding
        assert ds.columns == ("Дата", "Оценка", "Комментарий")
        assert (ds.score_column, ds.date_column, ds.comment_column) == (
            "Оценка", "Дата", "Комментарий")
        rows = fetch(ds)
    assert [row["Комментарий"] for row in rows] == [
        "Отличный сервис, быстрая доставка", "Ужасная поддержка, всё сломалось"]
    assert [row["Оценка"] for row in rows] == ["9", "3"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (POLISH.encode("utf-8"), "utf-8"),
        (POLISH.encode("utf-8-sig"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + POLISH.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + POLISH.encode("utf-16-be"), "utf-16-be"),
        (POLISH.replace("\n", "\r\n").encode("cp1250"), "cp1250"),  # as Polish Excel saves
    ],
)
def test_polish_text_is_read_in_every_encoding(tmp_path: Path, fetch: Fetch, data: bytes,
                                                encoding: str) -> None:
    path = tmp_path / "odpowiedzi.csv"
    path.write_bytes(data)
    with open_dataset(path) as ds:
        assert ds.encoding == encoding
        assert ds.delimiter == ";"
        assert (ds.score_column, ds.comment_column) == ("Ocena", "Komentarz")
        rows = fetch(ds)
    assert rows[1]["Komentarz"] == "Zły kontakt, źle zapakowane, żółć i łzy"


def test_cp1250_and_cp1251_are_told_apart_by_their_bytes(tmp_path: Path) -> None:
    (tmp_path / "pl.csv").write_bytes(POLISH.encode("cp1250"))
    (tmp_path / "ru.csv").write_bytes(RUSSIAN.encode("cp1251"))
    with open_dataset(tmp_path / "pl.csv") as pl, open_dataset(tmp_path / "ru.csv") as ru:
        assert (pl.encoding, ru.encoding) == ("cp1250", "cp1251")


COMMENTS = {
    # language: (code page Excel saves it in, header, comment)
    "sv": ("cp1252", "Betyg;Kommentar", "Så nöjd, väldigt bra service och snabb leverans"),
    "fi": ("cp1252", "Arvosana;Kommentti", "Erittäin hyvä palvelu, nopea toimitus, kiitos"),
    "fr": ("cp1252", "Score;Comment", "Très bien, livraison rapide, je recommande à tous"),
    "es": ("cp1252", "Score;Comment", "El envío llegó a España en dos días, muy señor mío"),
    "lt": ("cp1257", "Įvertinimas;Komentaras", "Labai ačiū už greitą pristatymą, viskas puiku"),
    "pl": ("cp1250", "Ocena;Komentarz", "Świetna obsługa, polecę znajomym, dziękuję"),
    "ru": ("cp1251", "Оценка;Комментарий", "Отличный сервис, быстрая доставка, спасибо"),
}


@pytest.mark.parametrize("language", sorted(COMMENTS))
def test_the_code_page_is_told_by_the_language_of_the_text(
        tmp_path: Path, fetch: Fetch, language: str) -> None:
    code_page, header, comment = COMMENTS[language]
    path = tmp_path / f"{language}.csv"
    path.write_bytes(f"{header}\n9;{comment}\n3;ok\n".encode(code_page))
    with open_dataset(path) as ds:
        assert ds.encoding == code_page
        assert list(fetch(ds)[0].values())[1] == comment


def test_english_with_a_few_polish_comments_is_read_as_cp1250(
        tmp_path: Path, fetch: Fetch) -> None:
    lines = [f"{i % 11};Great service, thanks" for i in range(200)]
    lines += ["10;Świetna obsługa, polecę", "2;Za drogo, źle zapakowane"]
    path = tmp_path / "mixed.csv"
    path.write_bytes(("Score;Comment\n" + "\n".join(lines) + "\n").encode("cp1250"))
    with open_dataset(path) as ds:
        assert ds.encoding == "cp1250"
        assert fetch(ds)[-1]["Comment"] == "Za drogo, źle zapakowane"


def test_text_with_only_symbols_beyond_ascii_keeps_them(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes("Score;Comment\n7;Worth the 10 € – isn’t it?\n".encode("cp1252"))
    with open_dataset(path) as ds:
        assert fetch(ds)[0]["Comment"] == "Worth the 10 € – isn’t it?"


def test_an_explicit_encoding_overrides_detection(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "svar.csv"
    path.write_bytes("Betyg;Kommentar\n9;Så nöjd, väldigt bra\n".encode("cp1252"))
    with open_dataset(path) as guessed:
        assert guessed.encoding == "cp1252"
        assert fetch(guessed)[0]["Kommentar"] == "Så nöjd, väldigt bra"
    with open_dataset(path, encoding="windows-1250") as ds:
        assert ds.encoding == "cp1250"
        assert fetch(ds)[0]["Kommentar"] == "Sĺ nöjd, väldigt bra"


def test_a_swedish_letter_after_a_long_ascii_start_is_read_as_cp1252(
        tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "late-sv.csv"
    body = "".join(f"{i % 11};ok\n" for i in range(400_000))  # about 2 MiB of ASCII
    path.write_bytes(("Betyg;Kommentar\n" + body + "10;Så nöjd, tack så mycket\n")
                     .encode("cp1252"))
    with open_dataset(path) as ds:
        assert ds.encoding == "cp1252"
        assert fetch(ds)[-1]["Kommentar"] == "Så nöjd, tack så mycket"


def test_single_byte_text_after_a_long_ascii_start_is_still_transcoded(
        tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"{i % 11};ok\n" for i in range(400_000))  # about 2 MiB of ASCII
    path.write_bytes(("Ocena;Komentarz\n" + body + "10;Świetnie, dziękuję\n").encode("cp1250"))
    with open_dataset(path) as ds:
        assert ds.encoding == "cp1250"
        assert fetch(ds)[-1]["Komentarz"] == "Świetnie, dziękuję"


def test_a_bad_byte_in_utf8_text_is_reported_with_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes("Оценка,Комментарий\n9,Хорошо\n".encode() + b"8,\xff\n")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    offset = len("Оценка,Комментарий\n9,Хорошо\n".encode()) + 2
    assert str(caught.value) == (
        f"{path} cannot be read as utf-8: byte 0xFF at offset {offset} (line 3) is not valid "
        "there. Save the file as UTF-8, or pass --encoding with the file's encoding "
        "(for example --encoding cp1250 or --encoding cp1251)."
    )


def test_bytes_invalid_in_the_named_encoding_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("Ocena;Komentarz\n9;Świetnie\n".encode("cp1250"))
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path, encoding="utf-8")
    assert str(caught.value).startswith(
        f"{path} cannot be read as utf-8: byte 0x8C at offset 18 (line 2) is not valid there.")


def test_a_byte_undefined_in_cp1251_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("Оценка\n9\n".encode("cp1251") + b"\x98\n")
    with pytest.raises(FileFormatError, match=r"as cp1251: byte 0x98 at offset 9 \(line 3\)"):
        open_dataset(path, encoding="cp1251")


def test_an_unknown_encoding_name_is_refused_with_examples(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Score\n9\n")
    with pytest.raises(InvalidArgumentError) as caught:
        open_dataset(path, encoding="klingon")
    assert str(caught.value) == ("unknown encoding 'klingon'; pass a name such as utf-8, "
                                 "utf-16, cp1250 or cp1251.")


def test_transcoded_json_is_read(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(codecs.BOM_UTF16_LE
                     + '[{"Оценка": 9, "Комментарий": "Отлично"}]'.encode("utf-16-le"))
    with open_dataset(path) as ds:
        assert (ds.format, ds.encoding) == ("json", "utf-16-le")
        assert fetch(ds)[0]["Комментарий"] == "Отлично"


def test_close_removes_the_transcoded_copy(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    ds = open_dataset(path)
    copies = [part for part in ds.sql().split("'") if part.endswith("utf8.txt")]
    assert copies and Path(copies[0]).exists()
    ds.close()
    assert not Path(copies[0]).exists()
    ds.close()  # twice is fine
