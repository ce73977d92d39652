"""Ingestion stage: turn a folder of files into `input_files`, `raw_documents`, `rejected_documents`.

Pure functions, no Dagster: the asset module calls `ingest_folder` and writes the three tables
declared in `schemas/ingestion.py`. Every file found under the input folder ends in exactly one of
`raw_documents` (decoded, untouched text) or `rejected_documents` (a reason code and one sentence
naming the file and the fix); `input_files` lists them all in walk order. One bad file never stops
the build: per-file errors become `unreadable` rows.

Walk order is the byte order of the NFC-normalised, UTF-8 encoded relative path, so it is the same
on every machine. Symbolic links that leave the input folder are never followed; links that stay
inside are followed (a file read twice through a link is a `duplicate`, a folder link that loops
back into one of its own ancestors is not descended).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import os
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from pipeline.progress import bar

MAX_BYTES = 5_000_000
MIN_LANGUAGE_LETTERS = 200
"""Texts with fewer letters than this are never rejected as `not_english` (the detector guesses)."""
LANGUAGE_THRESHOLD = 0.95
"""Probability the detector must give a language other than English before a text is rejected."""
LANGUAGE_SAMPLE_CHARS = 50_000
"""Language detection reads at most this many characters from the start of the text."""
MAX_CHAOS = 0.2
"""Highest charset_normalizer mess ratio at which a legacy decoding is still credible."""
MAX_CONTROL_SHARE = 0.02
"""Share of control characters (other than whitespace) above which decoded text counts as binary."""

_CHUNK = 1 << 20
_FIX_TEXT = "readout reads plain-text articles — export the article as a UTF-8 .txt file"
_FIX_UTF8 = "re-save the file as UTF-8 text"

# Legacy 8-bit codecs preferred, in this order, when charset_normalizer finds several equally clean.
_PREFERRED_LEGACY = ("cp1252", "iso8859-1", "iso8859-15")
# UTF-16/32 without a byte order mark are handled by `_sniff_utf16`, never guessed by the detector.
_NO_GUESS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]

# (magic bytes at offset 0, format name); checked before anything is decoded.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
)
# Members that name the kind of ZIP-based document (looked for in the first bytes of the archive).
_ZIP_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"word/", "a Word document (.docx)"),
    (b"xl/", "an Excel workbook (.xlsx)"),
    (b"ppt/", "a PowerPoint presentation (.pptx)"),
    (b"application/vnd.oasis.opendocument", "an OpenDocument file (.odt/.ods)"),
    (b"application/epub+zip", "an EPUB e-book"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a\x1b")  # whitespace, DOS end-of-file, ANSI escape


class DecodeError(ValueError):
    """Bytes that are not credible text: `reason` is a rejection code, `detail` a clause to show.

    `detail` continues a sentence that starts with the file's name, for example
    "looks like a PNG image; readout reads plain-text articles — export the article as .txt".
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class IngestResult:
    """Rows of the three ingestion tables (see `schemas/ingestion.py`)."""

    input_files: list[dict]
    raw_documents: list[dict]
    rejected_documents: list[dict]


@dataclass(frozen=True)
class _Entry:
    """One thing found by the walk. `kind` is `file` or the reason it cannot be read."""

    rel: str
    path: Path
    kind: str  # file | link_outside | broken_link | loop | special | unlistable
    note: str = ""


# --------------------------------------------------------------------------------------------
# Decoding


def sniff_binary_format(data: bytes) -> str | None:
    """Name of the binary format `data` starts with ("a PNG image", ...), or None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            if name == "a ZIP archive":
                head = data[:4096]
                return next((kind for member, kind in _ZIP_KINDS if member in head), name)
            return name
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    if data[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    return None


def _strict(data: bytes, codec: str) -> str:
    """Decode strictly or raise `DecodeError('not_utf8')` naming the codec."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            "not_utf8",
            f"starts with a {codec.upper()} byte order mark but is not valid {codec.upper()} "
            f"(bad byte at offset {exc.start}); {_FIX_UTF8}",
        ) from exc


def _sniff_utf16(data: bytes) -> tuple[str, float] | None:
    """(codec, confidence) when NUL-bearing `data` looks like UTF-16 without a byte order mark."""
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) // 2
    even_nul = data[0::2].count(0) / half
    odd_nul = data[1::2].count(0) / half
    if odd_nul >= 0.5 and even_nul <= 0.01:
        return "utf-16-le", round(odd_nul, 4)
    if even_nul >= 0.5 and odd_nul <= 0.01:
        return "utf-16-be", round(even_nul, 4)
    return None


def _legacy(data: bytes) -> tuple[str, str, float]:
    """Decode non-UTF-8 bytes with the 8-bit codec charset_normalizer finds cleanest."""
    matches = charset_normalizer.from_bytes(data, threshold=MAX_CHAOS, cp_exclusion=_NO_GUESS)
    best = matches.best()
    if best is None or best.chaos > MAX_CHAOS:
        raise DecodeError(
            "not_utf8", f"is not valid UTF-8 and its encoding could not be recognised; {_FIX_UTF8}"
        )
    tied = [m for m in matches if m.chaos <= best.chaos + 0.01]
    candidates = {codecs.lookup(name).name: m for m in tied for name in m.could_be_from_charset}
    codec = next(
        (c for c in _PREFERRED_LEGACY if c in candidates), codecs.lookup(best.encoding).name
    )
    chaos = candidates[codec].chaos if codec in candidates else best.chaos
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError("not_utf8", f"is not valid UTF-8 nor valid {codec}; {_FIX_UTF8}") from exc
    return text, codec, round(max(0.0, min(1.0, 1.0 - chaos)), 4)


def _decode_any(data: bytes) -> tuple[str, str, float]:
    """Decode by byte order mark, then strict UTF-8, then BOM-less UTF-16, then legacy 8-bit."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec), codec, 1.0
    if b"\x00" in data:
        utf16 = _sniff_utf16(data)
        if utf16 is None:
            raise DecodeError(
                "binary", f"contains NUL bytes, so it is a binary file, not text; {_FIX_TEXT}"
            )
        codec, confidence = utf16
        try:
            return data.decode(codec), codec, confidence
        except UnicodeDecodeError as exc:
            raise DecodeError(
                "binary", f"contains NUL bytes and is not valid UTF-16; {_FIX_TEXT}"
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8", 1.0
    except UnicodeDecodeError:
        return _legacy(data)


def _control_share(text: str) -> float:
    """Share of characters that are control characters no text file contains."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS)
    return bad / len(text)


def decode_bytes(data: bytes) -> tuple[str, str, float]:
    """Decode a file's bytes: (text, Python codec name, confidence) or raise `DecodeError`.

    Byte order marks win (`utf-8-sig`, `utf-16`, `utf-32`, confidence 1.0, mark removed); then
    strict UTF-8 (`utf-8`, 1.0); then UTF-16 without a mark when NUL bytes sit in every other
    position; then legacy 8-bit codecs via charset_normalizer (confidence 1 - its mess ratio).
    Raises `DecodeError` with reason `empty` (0 bytes), `binary` (known magic number, NUL bytes
    outside UTF-16, control characters) or `not_utf8` (no credible decoding). The text is
    returned untouched: no newline, Unicode or whitespace normalisation.
    """
    if not data:
        raise DecodeError(
            "empty", "is empty (0 bytes); put the article text in it or remove the file"
        )
    fmt = sniff_binary_format(data)
    if fmt is not None:
        raise DecodeError("binary", f"looks like {fmt}; {_FIX_TEXT}")
    text, codec, confidence = _decode_any(data)
    if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
        raise DecodeError(
            "binary",
            f"decodes as {codec} but is full of control characters, so it is not text; {_FIX_TEXT}",
        )
    return text, codec, confidence


# --------------------------------------------------------------------------------------------
# Language


@functools.lru_cache(maxsize=1)
def _language_identifier():
    """py3langid's bundled model with normalised probabilities (loaded once, no download)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float, float]:
    """(most likely language code, its probability, probability of English) for `text`."""
    ranked = _language_identifier().rank(text[:LANGUAGE_SAMPLE_CHARS])
    top, top_p = ranked[0]
    en_p = next((p for lang, p in ranked if lang == "en"), 0.0)
    return top, _unit(top_p), _unit(en_p)


def _unit(p: float) -> float:
    return round(max(0.0, min(1.0, float(p))), 6)


def language_name(code: str) -> str:
    """English name of an ISO 639 code ("de" -> "German"), or the code itself."""
    try:
        import pycountry

        lang = pycountry.languages.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    except (ImportError, KeyError, LookupError):
        lang = None
    return lang.name if lang is not None else code


def is_not_english(
    text: str, top: str, top_p: float, *, min_letters: int, threshold: float
) -> bool:
    """True when `text` is long enough to judge and the detector is confident it is not English."""
    if top == "en" or top_p < threshold:
        return False
    return sum(1 for ch in text[:LANGUAGE_SAMPLE_CHARS] if ch.isalpha()) >= min_letters


# --------------------------------------------------------------------------------------------
# Walking


def _display(rel: str) -> str:
    """A relative path as a valid str: undecodable file-name bytes become `\\xNN` escapes."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _sort_key(entry: _Entry) -> tuple[bytes, bytes]:
    name = _display(entry.rel)
    return unicodedata.normalize("NFC", name).encode("utf-8"), os.fsencode(entry.rel)


def _inside(target: Path, root: Path) -> bool:
    return target == root or target.is_relative_to(root)


def _link_entry(child: os.DirEntry, rel: str, root: Path, ancestors: frozenset[Path]):
    """Classify a symbolic link: an `_Entry`, or a folder (real path) to descend into."""
    target = Path(os.path.realpath(child.path))
    if not _inside(target, root):
        kind = "the folder" if target.is_dir() else "the file"
        return _Entry(rel, Path(child.path), "link_outside", f"{kind} {target}")
    if not target.exists():
        return _Entry(rel, Path(child.path), "broken_link", str(target))
    if target.is_dir():
        return target if target not in ancestors else _Entry(rel, Path(child.path), "loop")
    return _Entry(rel, Path(child.path), "file" if target.is_file() else "special")


def _child_entry(child: os.DirEntry, rel: str, root: Path, ancestors: frozenset[Path]):
    """An `_Entry` for a directory entry, or the real path of a folder to descend into."""
    if child.is_symlink():
        return _link_entry(child, rel, root, ancestors)
    if child.is_dir(follow_symlinks=False):
        return Path(os.path.realpath(child.path))
    if child.is_file(follow_symlinks=False):
        return _Entry(rel, Path(child.path), "file")
    return _Entry(rel, Path(child.path), "special", _special_kind(child))


def _special_kind(child: os.DirEntry) -> str:
    try:
        mode = child.stat(follow_symlinks=False).st_mode
    except OSError:
        return "special file"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device file" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file"


def walk_input(input_dir: Path) -> list[_Entry]:
    """Everything under `input_dir` (recursively), sorted by relative path bytes."""
    root = Path(os.path.realpath(input_dir))
    found: list[_Entry] = []
    pending = [(Path(input_dir), "", frozenset({root}))]
    while pending:
        folder, prefix, ancestors = pending.pop()
        try:
            with os.scandir(folder) as it:
                children = list(it)
        except OSError as exc:
            if not prefix:
                raise
            found.append(_Entry(prefix.rstrip("/"), folder, "unlistable", exc.strerror or str(exc)))
            continue
        for child in children:
            rel = prefix + child.name
            item = _child_entry(child, rel, root, ancestors)
            if isinstance(item, Path):
                pending.append((Path(child.path), rel + "/", ancestors | {item}))
            else:
                found.append(item)
    return sorted(found, key=_sort_key)


# --------------------------------------------------------------------------------------------
# One file


def read_file(path: Path, max_bytes: int) -> tuple[bytes | None, str, int]:
    """(bytes or None when over `max_bytes`, SHA-256 hex, size), hashing in chunks."""
    digest = hashlib.sha256()
    kept: bytearray | None = bytearray()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if kept is not None and size <= max_bytes:
                kept += chunk
            else:
                kept = None
    return (bytes(kept) if kept is not None else None), digest.hexdigest(), size


def _rejected(
    rel: str, reason: str, detail: str, *, sha256=None, n_bytes=None, duplicate_of=None
) -> dict:
    return {
        "source_path": rel,
        "sha256": sha256,
        "n_bytes": n_bytes,
        "reason": reason,
        "detail": f"{rel} {detail}.",
        "duplicate_of": duplicate_of,
    }


def _unreadable_entry(entry: _Entry, rel: str) -> dict:
    """The rejected row for a walk entry that is not a readable file."""
    details = {
        "link_outside": f"is a symbolic link leaving the input folder (to {entry.note}), which readout "
        "never follows; copy the file into the input folder instead of linking to it",
        "broken_link": f"is a broken symbolic link (its target {entry.note} does not exist); "
        "copy the article file in or remove the link",
        "loop": "is a symbolic link to a folder that contains it, which would loop forever; remove the link",
        "special": f"is a {entry.note or 'special file'}, not a regular file; replace it with a plain-text "
        "article file or remove it",
        "unlistable": f"is a folder that could not be listed ({entry.note}); check the folder's "
        "permissions (chmod a+rx) or remove it",
    }
    return _rejected(rel, "unreadable", details[entry.kind])


def ingest_file(
    path: Path,
    rel: str,
    *,
    max_bytes: int,
    kept: dict[str, str],
    min_letters: int = MIN_LANGUAGE_LETTERS,
    threshold: float = LANGUAGE_THRESHOLD,
) -> tuple[str, dict]:
    """Read one file: ("document", raw_documents row) or ("rejected", rejected_documents row).

    `kept` maps the SHA-256 of every file kept so far to its source_path (for duplicates).
    """
    try:
        data, sha, size = read_file(path, max_bytes)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        return "rejected", _rejected(
            rel,
            "unreadable",
            f"could not be read ({why}); check the file's permissions (chmod a+r) or remove it",
        )
    ids = {"sha256": sha, "n_bytes": size}
    if sha in kept:
        return "rejected", _rejected(
            rel,
            "duplicate",
            f"is byte-identical to {kept[sha]}, which was kept; remove the copy",
            duplicate_of=kept[sha],
            **ids,
        )
    if data is None:
        return "rejected", _rejected(
            rel,
            "too_large",
            f"is {size:,} bytes, over the {max_bytes:,}-byte limit; split it into one "
            "plain-text file per article",
            **ids,
        )
    try:
        text, codec, confidence = decode_bytes(data)
    except DecodeError as exc:
        return "rejected", _rejected(rel, exc.reason, exc.detail, **ids)
    if not text.strip():
        what = "only whitespace" if text else "only a byte order mark"
        return "rejected", _rejected(
            rel,
            "empty",
            f"contains {what} ({size} bytes); put the article text in it or remove the file",
            **ids,
        )
    top, top_p, en_p = detect_language(text)
    if is_not_english(text, top, top_p, min_letters=min_letters, threshold=threshold):
        return "rejected", _rejected(
            rel,
            "not_english",
            f"looks like {language_name(top)} text (language '{top}', probability {top_p:.2f}), "
            "and readout only processes English articles; replace it with the English text or remove it",
            **ids,
        )
    return "document", {
        "doc_id": sha[:16],
        "source_path": rel,
        **ids,
        "encoding": codec,
        "encoding_confidence": confidence,
        "language": "en",
        "language_score": en_p,
        "raw_text": text,
    }


def _ingest_entry(
    entry: _Entry, *, max_bytes: int, kept: dict[str, str], **lang
) -> tuple[str, dict]:
    """`ingest_file` for a walk entry; any error becomes an `unreadable` row."""
    rel = _display(entry.rel)
    if entry.kind != "file":
        return "rejected", _unreadable_entry(entry, rel)
    try:
        return ingest_file(entry.path, rel, max_bytes=max_bytes, kept=kept, **lang)
    except Exception as exc:  # one bad file never stops the build
        return "rejected", _rejected(
            rel,
            "unreadable",
            f"could not be processed ({type(exc).__name__}: {exc}); "
            "check that it is a plain-text article file or remove it",
        )


# --------------------------------------------------------------------------------------------
# The folder


def _progress(entries: list[_Entry], enabled: bool) -> Iterable[_Entry]:
    return bar(entries, desc="ingest", unit="file", enabled=enabled)


def ingest_folder(
    input_dir: Path,
    *,
    max_bytes: int = MAX_BYTES,
    progress: bool = False,
    min_language_letters: int = MIN_LANGUAGE_LETTERS,
    language_threshold: float = LANGUAGE_THRESHOLD,
) -> IngestResult:
    """Read every file under `input_dir` into the three ingestion tables' rows.

    Files are visited in walk order (see the module docstring); each becomes one `input_files`
    row and exactly one row of `raw_documents` or `rejected_documents`. Files over `max_bytes` are
    hashed but not decoded. A text is rejected as `not_english` only when it has at least
    `min_language_letters` letters and the detector gives another language at least
    `language_threshold`; accepted documents record `language` "en" and the detector's
    probability of English. Raises `NotADirectoryError` when `input_dir` is not a folder.
    """
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise NotADirectoryError(f"input folder {input_dir} does not exist or is not a folder")
    result = IngestResult([], [], [])
    kept: dict[str, str] = {}
    lang = {"min_letters": min_language_letters, "threshold": language_threshold}
    for entry in _progress(walk_input(input_dir), progress):
        outcome, row = _ingest_entry(entry, max_bytes=max_bytes, kept=kept, **lang)
        if outcome == "document":
            kept[row["sha256"]] = row["source_path"]
            result.raw_documents.append(row)
        else:
            result.rejected_documents.append(row)
        result.input_files.append(
            {"source_path": row["source_path"], "n_bytes": row["n_bytes"], "outcome": outcome}
        )
    return result
