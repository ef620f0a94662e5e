"""Text encodings: detect them from the bytes and make a UTF-8 file for DuckDB.

DuckDB reads UTF-8 only (it skips a UTF-8 byte order mark). Anything else (UTF-16, or the
single-byte Windows code pages Excel writes: cp1250 for Polish, cp1251 for Russian, cp1252
for Swedish and Finnish, cp1257 for Lithuanian) is transcoded once, in chunks, to a
temporary UTF-8 file. A UTF-8 file is checked in one fast pass and read in place.
"""

from __future__ import annotations

import codecs
import re
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path
from typing import Any

from opennps._i18n import gettext as _
from opennps.errors import FileFormatError, InvalidArgumentError

__all__ = ["SAMPLE_BYTES", "detect_encoding", "guess_single_byte", "normalize_encoding",
           "read_text_sample", "to_utf8"]

SAMPLE_BYTES = 1 << 20
_CHUNK = 1 << 22
_WORD = re.compile(rb"[A-Za-z\x80-\xff]+")
_UTF8 = ("utf-8", "utf-8-sig")
# The Windows code page of the languages whose spreadsheets are saved in one (py3langid's
# codes; the first code page wins a tie). Greek, Turkish and other code pages are left to
# --encoding.
CODE_PAGES: dict[str, tuple[str, ...]] = {
    "cp1250": ("pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs", "sq"),
    "cp1252": ("en", "sv", "fi", "de", "fr", "es", "it", "pt", "nl", "da", "no", "nb", "nn",
               "is", "ca", "eu", "gl", "af", "id", "ms", "ga", "lb", "oc", "wa", "br"),
    "cp1251": ("ru", "uk", "bg", "be", "sr", "mk", "kk", "ky", "mn"),
    "cp1257": ("lt", "lv", "et"),
}
LATIN_CODE_PAGES = ("cp1250", "cp1252", "cp1257")
_LINES_SAMPLE = 1 << 15  # bytes of the lines holding bytes >= 0x80 that the languages are read from
_SURE = 0.6  # share of the language probability a code page's languages need to be chosen


def normalize_encoding(encoding: str) -> str:
    """Return Python's canonical name of ``encoding`` ("CP-1250" → "cp1250").

    Examples
    --------
    >>> normalize_encoding("UTF8"), normalize_encoding("windows-1251")
    ('utf-8', 'cp1251')
    """
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InvalidArgumentError(
            _("unknown encoding '{encoding}'; pass a name such as utf-8, utf-16, cp1250 or "
              "cp1251.").format(encoding=encoding)
        ) from None


def guess_single_byte(sample: bytes) -> str:
    """Tell which Windows code page a sample of a spreadsheet export is in.

    Cyrillic (cp1251) is told by the bytes (:func:`_cyrillic`). Among the Latin code pages,
    the lines that hold bytes ≥ 0x80 are decoded in each, and the language of each reading
    identified (py3langid, offline): the code page whose languages (:data:`CODE_PAGES`)
    take most of the probability wins, as Swedish read in cp1252 reads as Swedish, and
    Lithuanian read in cp1252 does not read as any language of cp1252. When no reading is
    clearly in a language of its code page (symbols only, very short text), cp1250.

    Examples
    --------
    >>> guess_single_byte("Оценка;Комментарий".encode("cp1251"))
    'cp1251'
    >>> guess_single_byte("Ocena;Komentarz;Świetna obsługa, polecę".encode("cp1250"))
    'cp1250'
    >>> guess_single_byte("Betyg;Kommentar;Så nöjd, väldigt bra service".encode("cp1252"))
    'cp1252'
    >>> guess_single_byte("Įvertinimas;Komentaras;Labai ačiū už greitą pristatymą".encode(
    ...     "cp1257"))
    'cp1257'
    """
    if _cyrillic(sample):
        return "cp1251"
    lines = b"\n".join(line for line in sample.splitlines()
                       if any(byte >= 0x80 for byte in line))[:_LINES_SAMPLE]
    shares = _language_shares(lines, LATIN_CODE_PAGES) if lines else {}
    if shares:
        best = max(shares, key=lambda code_page: shares[code_page])
        if shares[best] >= _SURE:
            return best
    return "cp1250"


def _language_shares(text: bytes, code_pages: tuple[str, ...]) -> dict[str, float]:
    """For each code page, the probability that ``text`` read in it is in one of its
    languages."""
    identifier = _identifier()
    if identifier is None:
        return {}
    shares = {}
    for code_page in code_pages:
        ranked = identifier.rank(text.decode(code_page, errors="replace"))
        shares[code_page] = sum(p for language, p in ranked
                                if language in CODE_PAGES[code_page])
    return shares


@lru_cache(maxsize=1)
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:  # pragma: no cover - py3langid is a dependency
        return None
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _cyrillic(sample: bytes) -> bool:
    """Whether single-byte text is Cyrillic (cp1251) rather than Latin, by its bytes.

    Words written in Cyrillic are runs of bytes 0xC0–0xFF only; Latin words (Polish,
    Swedish, Lithuanian) are mostly ASCII letters with a few high bytes. Each word holding
    a high byte votes: all high bytes for Cyrillic, mixed with ASCII for Latin; a tie
    (no such words) is Latin.

    >>> _cyrillic("Оценка;Комментарий".encode("cp1251")), _cyrillic("Cena 10 €".encode("cp1250"))
    (True, False)
    """
    cyrillic = latin = 0
    for word in _WORD.findall(sample):
        high = sum(1 for byte in word if byte >= 0x80)
        if not high:
            continue
        if high == len(word):
            cyrillic += sum(1 for byte in word if byte >= 0xC0) * 10 >= 8 * len(word)
        else:
            latin += 1
    return cyrillic > latin


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a byte order mark: NUL bytes, and line breaks and delimiters when
    decoded in the right byte order (text in UTF-8 or a code page holds no NUL bytes)."""
    if b"\x00" not in sample:
        return None
    even = sample[: len(sample) // 2 * 2]
    scores = {}
    for encoding in ("utf-16-le", "utf-16-be"):
        text = even.decode(encoding, errors="replace")
        scores[encoding] = sum(text.count(char) for char in "\n,;\t|")
    best = max(scores, key=lambda encoding: scores[encoding])
    return best if scores[best] else None


def detect_encoding(sample: bytes) -> str:
    """Return the encoding of a file from its first bytes.

    A byte order mark decides (UTF-8, UTF-16 LE/BE); UTF-16 without one is recognised by
    its zero bytes; text whose non-ASCII characters are mostly valid UTF-8 is UTF-8 (a stray
    bad byte is then reported where it is); anything else is a Windows code page, decided
    by :func:`guess_single_byte`.

    Examples
    --------
    >>> detect_encoding("Ocena".encode("utf-8-sig")), detect_encoding("Оценка".encode())
    ('utf-8-sig', 'utf-8')
    >>> detect_encoding("\\ufeffScore".encode("utf-16-le"))
    'utf-16-le'
    >>> detect_encoding("Оценка;Комментарий".encode("cp1251"))
    'cp1251'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    utf16 = _utf16_without_bom(sample[:4096])
    if utf16:
        return utf16
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    broken = text.count("\ufffd")
    if broken and broken >= sum(1 for char in text if ord(char) > 0x7F) - broken:
        return guess_single_byte(sample)
    return "utf-8"


def read_text_sample(path: Path, limit: int = SAMPLE_BYTES) -> tuple[str, bool]:
    """Return the first ``limit`` bytes of a UTF-8 file as text, and whether that is all of it."""
    with path.open("rb") as f:
        raw = f.read(limit + 1)
    complete = len(raw) <= limit
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(raw[:limit],
                                                                          final=complete)
    return text.removeprefix("\ufeff"), complete


class _BadByte(Exception):
    def __init__(self, offset: int, byte: int, chunk: bytes, seen_non_ascii: bool) -> None:
        super().__init__(offset)
        self.offset = offset
        self.byte = byte
        self.chunk = chunk
        self.seen_non_ascii = seen_non_ascii


def _line_of(path: Path, offset: int, encoding: str) -> int:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    lines = 1
    with path.open("rb") as f:
        left = offset
        while left > 0 and (chunk := f.read(min(_CHUNK, left))):
            left -= len(chunk)
            lines += decoder.decode(chunk).count("\n")
    return lines


def _scan(path: Path, encoding: str, out: Path | None) -> None:
    """Decode ``path`` in chunks, writing UTF-8 to ``out`` if given; raise _BadByte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    start = 0
    seen_non_ascii = False
    at_start = True
    with ExitStack() as stack:
        f = stack.enter_context(path.open("rb"))
        sink = stack.enter_context(out.open("w", encoding="utf-8", newline="")) if out else None
        while True:
            chunk = f.read(_CHUNK)
            pending = len(decoder.getstate()[0])
            if sink is None and chunk and not pending and chunk.isascii():
                start += len(chunk)
                continue
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                seen = seen_non_ascii or not chunk[:max(error.start - pending, 0)].isascii()
                raise _BadByte(start - pending + error.start, error.object[error.start],
                               chunk or error.object, seen) from None
            seen_non_ascii = seen_non_ascii or not chunk.isascii()
            if sink is not None and text:
                if at_start:
                    text, at_start = text.removeprefix("\ufeff"), False
                sink.write(text)
            if not chunk:
                return
            start += len(chunk)


def to_utf8(path: Path, *, encoding: str | None, name: str, workdir: Path) -> tuple[Path, str]:
    """Return a UTF-8 file holding the text of ``path``, and the encoding it was read in.

    ``encoding`` (a user's choice) overrides detection. A UTF-8 file is only checked and
    returned as it is; others are transcoded into ``workdir``. If bytes that are not UTF-8
    turn up after a sample that was all ASCII, the file is read in the code page that
    :func:`guess_single_byte` finds around them.

    Raises
    ------
    FileFormatError
        The file holds bytes that are not valid in the encoding; the message names the
        byte, its offset and line, and the ``--encoding`` option.
    """
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    chosen = normalize_encoding(encoding) if encoding else detect_encoding(sample)
    if chosen in _UTF8:
        try:
            _scan(path, chosen, None)
            return path, chosen
        except _BadByte as bad:
            if encoding is not None or bad.seen_non_ascii:
                raise _undecodable(path, name, chosen, bad) from None
            chosen = guess_single_byte(bad.chunk)
    out = workdir / "utf8.txt"
    try:
        _scan(path, chosen, out)
    except _BadByte as bad:
        raise _undecodable(path, name, chosen, bad) from None
    return out, chosen


def _undecodable(path: Path, name: str, encoding: str, bad: _BadByte) -> FileFormatError:
    problem = _("{name} cannot be read as {encoding}: byte 0x{byte:02X} at offset {offset} "
                "(line {line}) is not valid there.").format(
        name=name, encoding=encoding, byte=bad.byte, offset=bad.offset,
        line=_line_of(path, bad.offset, encoding))
    return FileFormatError(
        problem + " " + _("Save the file as UTF-8, or pass --encoding with the file's "
                          "encoding (for example --encoding cp1250 or --encoding cp1251)."),
        problem=problem, options=("--encoding",))
