"""Tests of the ingestion stage (`pipeline/ingest.py`) on hostile input folders built in tmp_path."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline import ingest
from pipeline.ingest import DecodeError, decode_bytes, ingest_folder
from schemas import TABLES

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

ARTICLE = (
    "Harbour council approves later ferry crossings\n"
    "\n"
    "PORTSIDE, May 12 - The Portside harbour council on Tuesday approved a new ferry timetable "
    "that adds three evening crossings to the island of Merrow, officials said.\n"
    '"Residents have asked for later boats for years," council chair Ana Lopes told reporters '
    "after the vote, which passed by seven votes to two.\n"
    "The operator, Blue Gull Lines, said the extra crossings would start on June 1 and cost about "
    "40,000 pounds a year to run, paid for by a rise in the harbour parking charge.\n"
)

# Only characters cp1252 can encode; "€" and curly quotes are cp1252-only, not latin-1.
CP1252_ARTICLE = (
    "Café owners in the old town said on Monday that a naïve reading of the new tax rules would "
    "cost each of them €2,000 a year.\n"
    "“We were not consulted,” said Marie Dubois, who runs a small café near the station. "
    "The city’s finance office said it would publish guidance for businesses next week.\n"
)
LATIN1_ARTICLE = (
    "The Zürich café chain Kaffeehaus said on Friday that its naïve expansion plan had failed, "
    "and that it would close four branches in Besançon and Genève by the end of the year.\n"
    "A spokesman for the company said about 60 staff would be offered jobs elsewhere.\n"
)

NON_ENGLISH = {
    "de": (
        "Der Stadtrat von Freiburg hat am Dienstag einen neuen Fahrplan für die Straßenbahn "
        "beschlossen. Nach Angaben der Verwaltung sollen ab Juni abends zusätzliche Bahnen in die "
        "Vororte fahren.\n\n"
        "„Die Bürgerinnen und Bürger wünschen sich seit Jahren spätere Verbindungen“, sagte die "
        "Vorsitzende des Verkehrsausschusses nach der Abstimmung. Die Kosten von rund 400.000 Euro "
        "im Jahr sollen aus dem Haushalt der Stadt getragen werden.\n\n"
        "Die Opposition kritisierte, dass die Pläne ohne ausreichende Beteiligung der Anwohner "
        "entstanden seien. Eine endgültige Entscheidung über die Finanzierung wird im Herbst "
        "erwartet.\n"
    ),
    "fr": (
        "Le conseil municipal de Brest a approuvé mardi soir un nouveau plan de circulation pour le "
        "centre-ville, qui entrera en vigueur au début du mois de septembre.\n\n"
        "« Nous voulons rendre les rues aux piétons et aux cyclistes », a déclaré la maire adjointe "
        "chargée des transports, après un vote serré. Les commerçants craignent une baisse de leur "
        "chiffre d'affaires pendant les travaux.\n\n"
        "L'opposition a dénoncé un projet décidé sans véritable concertation avec les habitants des "
        "quartiers concernés et a demandé une étude indépendante.\n"
    ),
    "ru": (
        "Городская дума Казани во вторник утвердила новый план развития общественного транспорта "
        "на ближайшие пять лет.\n\n"
        "«Жители давно просят запустить вечерние автобусы в пригороды», — заявил председатель "
        "комиссии по транспорту после голосования. По словам чиновников, расходы составят около "
        "двухсот миллионов рублей в год.\n\n"
        "Представители оппозиции раскритиковали план, отметив, что горожан не спросили о маршрутах "
        "и расписании.\n"
    ),
}


def news(n: int) -> str:
    """A distinct short English news text."""
    return (
        f"Officials in district {n} said on Wednesday that the new bridge over the river would open "
        f"to traffic next month, about {n + 2} weeks later than planned. The regional transport "
        f"minister told reporters the delay was caused by a shortage of steel.\n"
    )


def put(root: Path, rel: str, data: bytes | str) -> Path:
    """Write `data` (str as UTF-8) to root/rel, creating folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def validate(result: ingest.IngestResult) -> None:
    """Every table validates against its pandera model."""
    for name, rows in (
        ("input_files", result.input_files),
        ("raw_documents", result.raw_documents),
        ("rejected_documents", result.rejected_documents),
    ):
        spec = TABLES[name]
        spec.model.validate(pl.DataFrame(rows, schema=spec.polars_schema(), orient="row"))


def outcomes(result: ingest.IngestResult) -> dict[str, dict]:
    """source_path -> its raw_documents or rejected_documents row."""
    rows = {r["source_path"]: r for r in result.raw_documents}
    rows.update({r["source_path"]: r for r in result.rejected_documents})
    return rows


def reason(row: dict) -> str:
    return row.get("reason", "document")


def assert_accounted(result: ingest.IngestResult) -> None:
    """Every listed file is in exactly one output table, with the matching outcome."""
    docs = [r["source_path"] for r in result.raw_documents]
    rejected = [r["source_path"] for r in result.rejected_documents]
    listed = [r["source_path"] for r in result.input_files]
    assert len(listed) == len(set(listed))
    assert not set(docs) & set(rejected)
    assert sorted(listed) == sorted(docs + rejected)
    for row in result.input_files:
        assert row["outcome"] == ("document" if row["source_path"] in docs else "rejected")


# ------------------------------------------------------------------------------------------------
# The hostile folder: every case in one input folder, checked file by file and as a whole.

SHORT_FRENCH = "Le gouvernement a annoncé mardi une nouvelle réforme des retraites.\n"
NUL_TEXT = ARTICLE[:80] + "\x00" + ARTICLE[80:]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

HOSTILE: dict[str, tuple[bytes, str]] = {
    # rel: (bytes, expected outcome: "document" or a rejection reason)
    "empty.txt": (b"", "empty"),
    "blank.txt": (b" \n\t\r\n  \n", "empty"),
    "bom_only.txt": (codecs.BOM_UTF8, "empty"),
    "binary.dat": (bytes(range(256)) * 4, "binary"),
    "photo.png": (PNG, "binary"),
    "nul_in_utf8.txt": (NUL_TEXT.encode("utf-8"), "binary"),
    "cp1252.txt": (CP1252_ARTICLE.encode("cp1252"), "document"),
    "latin1.txt": (LATIN1_ARTICLE.encode("latin-1"), "document"),
    "utf16le.txt": (codecs.BOM_UTF16_LE + news(1).encode("utf-16-le"), "document"),
    "utf16be.txt": (codecs.BOM_UTF16_BE + news(2).encode("utf-16-be"), "document"),
    "utf8bom.txt": (codecs.BOM_UTF8 + news(3).encode("utf-8"), "document"),
    "crlf.txt": (news(4).replace("\n", "\r\n").encode("utf-8"), "document"),
    "big.txt": (news(5).encode("utf-8") * 200, "too_large"),
    "a_twin.txt": (ARTICLE.encode("utf-8"), "document"),
    "b_twin.txt": (ARTICLE.encode("utf-8"), "duplicate"),
    "deep/er/still/twin.txt": (ARTICLE.encode("utf-8"), "duplicate"),
    "deep/er/nested.txt": (news(6).encode("utf-8"), "document"),
    "données/résumé ü.txt": (news(7).encode("utf-8"), "document"),
    ".hidden.txt": (news(8).encode("utf-8"), "document"),
    "german.txt": (NON_ENGLISH["de"].encode("utf-8"), "not_english"),
    "french.txt": (NON_ENGLISH["fr"].encode("utf-8"), "not_english"),
    "russian.txt": (NON_ENGLISH["ru"].encode("utf-8"), "not_english"),
    # Too short to judge, although the detector is confident it is French.
    "short_french.txt": (SHORT_FRENCH.encode(), "document"),
}
HOSTILE_MAX_BYTES = 10_000
LINKS = {"link_out.txt": "unreadable", "link_out_dir": "unreadable", "link_in.txt": "duplicate"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, ingest.IngestResult]:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "input"
    for rel, (data, _) in HOSTILE.items():
        put(root, rel, data)
    outside = base / "outside"
    put(outside, "secret.txt", news(100))
    put(outside, "more/other.txt", news(101))
    (root / "link_out.txt").symlink_to(outside / "secret.txt")
    (root / "link_out_dir").symlink_to(outside, target_is_directory=True)
    (root / "link_in.txt").symlink_to(root / "deep/er/nested.txt")
    return root, ingest_folder(root, max_bytes=HOSTILE_MAX_BYTES)


def test_ingest_every_file_accounted_once(hostile):
    _, result = hostile
    assert_accounted(result)
    assert {r["source_path"] for r in result.input_files} == set(HOSTILE) | set(LINKS)


def test_ingest_tables_validate_against_schemas(hostile):
    validate(hostile[1])


@pytest.mark.parametrize("rel", sorted(HOSTILE))
def test_ingest_hostile_file_outcome(hostile, rel):
    _, result = hostile
    data, expected = HOSTILE[rel]
    row = outcomes(result)[rel]
    assert reason(row) == expected
    assert row["n_bytes"] == len(data)
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    if expected == "document":
        assert row["doc_id"] == hashlib.sha256(data).hexdigest()[:16]


@pytest.mark.parametrize(
    ("rel", "text", "encoding"),
    [
        ("cp1252.txt", CP1252_ARTICLE, "cp1252"),
        ("utf16le.txt", news(1), "utf-16"),
        ("utf16be.txt", news(2), "utf-16"),
        ("utf8bom.txt", news(3), "utf-8-sig"),
        ("crlf.txt", news(4).replace("\n", "\r\n"), "utf-8"),
        ("données/résumé ü.txt", news(7), "utf-8"),
    ],
)
def test_ingest_decodes_text_untouched(hostile, rel, text, encoding):
    row = outcomes(hostile[1])[rel]
    assert row["raw_text"] == text
    assert row["encoding"] == encoding
    assert 0.0 <= row["encoding_confidence"] <= 1.0


@pytest.mark.parametrize("word", ["café", "naïve", "€2,000", "“We were not consulted,”", "city’s"])
def test_ingest_cp1252_accents_survive(hostile, word):
    assert word in outcomes(hostile[1])["cp1252.txt"]["raw_text"]


@pytest.mark.parametrize("word", ["Zürich", "café", "naïve", "Besançon", "Genève"])
def test_ingest_latin1_accents_survive(hostile, word):
    row = outcomes(hostile[1])["latin1.txt"]
    assert word in row["raw_text"]
    assert row["raw_text"] == LATIN1_ARTICLE


def test_ingest_crlf_kept(hostile):
    assert "\r\n" in outcomes(hostile[1])["crlf.txt"]["raw_text"]


def test_ingest_bom_not_in_text(hostile):
    for rel in ("utf8bom.txt", "utf16le.txt", "utf16be.txt"):
        assert not outcomes(hostile[1])[rel]["raw_text"].startswith("\ufeff")


@pytest.mark.parametrize("rel", ["b_twin.txt", "deep/er/still/twin.txt"])
def test_ingest_duplicate_points_at_first_twin(hostile, rel):
    row = outcomes(hostile[1])[rel]
    assert row["duplicate_of"] == "a_twin.txt"
    assert "a_twin.txt" in row["detail"]


def test_ingest_link_inside_is_duplicate_of_its_target(hostile):
    assert outcomes(hostile[1])["link_in.txt"]["duplicate_of"] == "deep/er/nested.txt"


@pytest.mark.parametrize("rel", ["link_out.txt", "link_out_dir"])
def test_ingest_link_leaving_folder_not_followed(hostile, rel):
    _, result = hostile
    row = outcomes(result)[rel]
    assert row["reason"] == "unreadable"
    assert row["sha256"] is None and row["n_bytes"] is None
    assert "link leaving the input folder" in row["detail"] and "copy" in row["detail"]
    texts = [r["raw_text"] for r in result.raw_documents]
    assert news(100) not in texts and news(101) not in texts
    assert not any(r["source_path"].startswith("link_out_dir/") for r in result.input_files)


@pytest.mark.parametrize("code", sorted(NON_ENGLISH))
def test_ingest_non_english_detail_names_language(hostile, code):
    rel = {"de": "german.txt", "fr": "french.txt", "ru": "russian.txt"}[code]
    assert f"'{code}'" in outcomes(hostile[1])[rel]["detail"]


def test_ingest_short_text_not_judged_by_language(hostile):
    row = outcomes(hostile[1])["short_french.txt"]
    assert row["language"] == "en"
    assert 0.0 <= row["language_score"] <= 1.0


@pytest.mark.parametrize(("min_letters", "expected"), [(10_000, "document"), (20, "not_english")])
def test_ingest_language_minimum_length(tmp_path, min_letters, expected):
    put(tmp_path, "fr.txt", SHORT_FRENCH)
    result = ingest_folder(tmp_path, min_language_letters=min_letters)
    assert reason(outcomes(result)["fr.txt"]) == expected


@pytest.mark.parametrize(("threshold", "expected"), [(0.5, "not_english"), (1.01, "document")])
def test_ingest_language_threshold(tmp_path, threshold, expected):
    put(tmp_path, "de.txt", NON_ENGLISH["de"])
    result = ingest_folder(tmp_path, language_threshold=threshold)
    assert reason(outcomes(result)["de.txt"]) == expected


def test_ingest_png_detail_names_format(hostile):
    assert "PNG" in outcomes(hostile[1])["photo.png"]["detail"]


def test_ingest_details_name_file_in_one_sentence(hostile):
    for row in hostile[1].rejected_documents:
        detail = row["detail"]
        assert detail.startswith(row["source_path"] + " ")
        assert detail.endswith(".")
        assert ". " not in detail[len(row["source_path"]) :].replace(".txt", "")
        assert ";" in detail  # what is wrong; how to fix it


def test_ingest_walk_order_is_input_files_order(hostile):
    listed = [r["source_path"] for r in hostile[1].input_files]
    assert listed == sorted(listed, key=lambda p: p.encode("utf-8"))


# ------------------------------------------------------------------------------------------------
# Walk order, determinism, names


def test_ingest_order_is_bytewise_by_relative_path(tmp_path):
    names = ["z.txt", "é.txt", "a/b.txt", "B.txt", "a.txt", "a b.txt"]
    for i, rel in enumerate(names):
        put(tmp_path, rel, news(i))
    listed = [r["source_path"] for r in ingest_folder(tmp_path).input_files]
    assert listed == ["B.txt", "a b.txt", "a.txt", "a/b.txt", "z.txt", "é.txt"]


def test_ingest_same_input_same_output(tmp_path):
    for i in range(5):
        put(tmp_path, f"d{i % 2}/f{i}.txt", news(i))
    put(tmp_path, "dup.txt", news(3))
    assert ingest_folder(tmp_path) == ingest_folder(tmp_path)


def test_ingest_undecodable_file_name(tmp_path):
    try:
        fd = os.open(os.fsencode(tmp_path) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT)
    except OSError:
        pytest.skip("file system refuses non-UTF-8 file names")
    os.write(fd, news(1).encode())
    os.close(fd)
    result = ingest_folder(tmp_path)
    validate(result)
    assert [r["source_path"] for r in result.raw_documents] == ["caf\\xe9.txt"]


def test_ingest_missing_folder_raises(tmp_path):
    with pytest.raises(NotADirectoryError):
        ingest_folder(tmp_path / "nope")


# ------------------------------------------------------------------------------------------------
# Links, special files, errors


def test_ingest_link_loop_terminates(tmp_path):
    put(tmp_path, "news/a.txt", news(1))
    (tmp_path / "news" / "loop").symlink_to(tmp_path, target_is_directory=True)
    result = ingest_folder(tmp_path)
    validate(result)
    assert_accounted(result)
    assert reason(outcomes(result)["news/loop"]) == "unreadable"


def test_ingest_link_to_inside_folder_gives_duplicates(tmp_path):
    put(tmp_path, "b_real/a.txt", news(1))
    (tmp_path / "a_mirror").symlink_to(tmp_path / "b_real", target_is_directory=True)
    result = ingest_folder(tmp_path)
    assert_accounted(result)
    assert len(result.raw_documents) == 1
    assert [r["reason"] for r in result.rejected_documents] == ["duplicate"]


def test_ingest_broken_link(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    result = ingest_folder(tmp_path)
    validate(result)
    assert reason(outcomes(result)["gone.txt"]) == "unreadable"


def test_ingest_named_pipe_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    put(tmp_path, "ok.txt", news(1))
    result = ingest_folder(tmp_path)  # would block forever if the pipe were opened
    assert reason(outcomes(result)["pipe.txt"]) == "unreadable"
    assert "named pipe" in outcomes(result)["pipe.txt"]["detail"]


def test_ingest_permission_error_is_unreadable(tmp_path, monkeypatch):
    put(tmp_path, "locked.txt", news(1))
    put(tmp_path, "open.txt", news(2))
    real = ingest.read_file

    def guarded(path, max_bytes):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, max_bytes)

    monkeypatch.setattr(ingest, "read_file", guarded)
    result = ingest_folder(tmp_path)
    validate(result)
    row = outcomes(result)["locked.txt"]
    assert row["reason"] == "unreadable" and "Permission denied" in row["detail"]
    assert reason(outcomes(result)["open.txt"]) == "document"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_ingest_chmod_000_is_unreadable(tmp_path):
    path = put(tmp_path, "locked.txt", news(1))
    folder = put(tmp_path, "closed/inner.txt", news(2)).parent
    path.chmod(0)
    folder.chmod(0)
    try:
        result = ingest_folder(tmp_path)
    finally:
        path.chmod(0o644)
        folder.chmod(0o755)
    validate(result)
    assert reason(outcomes(result)["locked.txt"]) == "unreadable"
    assert reason(outcomes(result)["closed"]) == "unreadable"


def test_ingest_unlistable_folder_is_recorded(tmp_path, monkeypatch):
    put(tmp_path, "closed/inner.txt", news(1))
    put(tmp_path, "open.txt", news(2))
    real = os.scandir

    def guarded(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(ingest.os, "scandir", guarded)
    result = ingest_folder(tmp_path)
    validate(result)
    assert reason(outcomes(result)["closed"]) == "unreadable"
    assert reason(outcomes(result)["open.txt"]) == "document"


def test_ingest_unexpected_error_does_not_stop_build(tmp_path, monkeypatch):
    put(tmp_path, "a.txt", news(1))
    put(tmp_path, "b.txt", news(2))
    real = ingest.decode_bytes

    def flaky(data):
        if data == news(1).encode():
            raise RuntimeError("boom")
        return real(data)

    monkeypatch.setattr(ingest, "decode_bytes", flaky)
    result = ingest_folder(tmp_path)
    validate(result)
    assert reason(outcomes(result)["a.txt"]) == "unreadable"
    assert reason(outcomes(result)["b.txt"]) == "document"


# ------------------------------------------------------------------------------------------------
# Size limit, duplicates of rejected files


@pytest.mark.parametrize(
    ("extra", "expected"), [(-1, "document"), (0, "document"), (1, "too_large")]
)
def test_ingest_size_limit_boundary(tmp_path, extra, expected):
    data = (news(1) * 50).encode()
    put(tmp_path, "a.txt", data)
    result = ingest_folder(tmp_path, max_bytes=len(data) - extra)
    row = outcomes(result)["a.txt"]
    assert reason(row) == expected
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert row["n_bytes"] == len(data)


def test_ingest_too_large_hashes_in_chunks(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 7)
    put(tmp_path, "huge.bin", data)
    row = outcomes(ingest_folder(tmp_path, max_bytes=1000))["huge.bin"]
    assert (row["reason"], row["sha256"]) == ("too_large", hashlib.sha256(data).hexdigest())


def test_ingest_twins_of_rejected_file_keep_their_reason(tmp_path):
    put(tmp_path, "a.txt", b"")
    put(tmp_path, "b.txt", b"")
    result = ingest_folder(tmp_path)
    assert [(r["reason"], r["duplicate_of"]) for r in result.rejected_documents] == [
        ("empty", None),
        ("empty", None),
    ]


# ------------------------------------------------------------------------------------------------
# decode_bytes on its own


@pytest.mark.parametrize(
    ("data", "text", "codec"),
    [
        (ARTICLE.encode("utf-8"), ARTICLE, "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), ARTICLE, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), ARTICLE, "utf-16"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), ARTICLE, "utf-16"),
        (codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"), ARTICLE, "utf-32"),
        (ARTICLE.encode("utf-16-le"), ARTICLE, "utf-16-le"),
        (ARTICLE.encode("utf-16-be"), ARTICLE, "utf-16-be"),
        (CP1252_ARTICLE.encode("cp1252"), CP1252_ARTICLE, "cp1252"),
        (NON_ENGLISH["ru"].encode("utf-8"), NON_ENGLISH["ru"], "utf-8"),
        ("Ärger im Café\x1a".encode("cp1252") * 5, "Ärger im Café\x1a" * 5, "cp1252"),
    ],
)
def test_decode_bytes_text_and_codec(data, text, codec):
    decoded, name, confidence = decode_bytes(data)
    assert (decoded, name) == (text, codec)
    assert 0.0 <= confidence <= 1.0


def test_decode_bytes_utf8_never_asks_detector(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("charset_normalizer consulted for valid UTF-8")

    monkeypatch.setattr(ingest.charset_normalizer, "from_bytes", fail)
    assert decode_bytes("naïve café €".encode()) == ("naïve café €", "utf-8", 1.0)


@pytest.mark.parametrize(
    ("data", "reason", "named"),
    [
        (b"", "empty", "0 bytes"),
        (b"{\\rtf1\\ansi Council approves budget}", "binary", "RTF"),
        (PNG, "binary", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "binary", "GIF"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary", "PDF"),
        (b"PK\x03\x04\x14\x00[Content_Types].xmlword/document.xml", "binary", "Word"),
        (gzip.compress(ARTICLE.encode()), "binary", "gzip"),
        (b"\x7fELF\x02\x01\x01\x00", "binary", "ELF"),
        (b"header\x00\x01\x02\x03 body text", "binary", "NUL"),
        (NUL_TEXT.encode("utf-8"), "binary", "NUL"),
        (bytes(range(1, 256)) * 3, "not_utf8", "UTF-8"),
        (codecs.BOM_UTF8 + b"caf\xe9 au lait", "not_utf8", "UTF-8"),
    ],
)
def test_decode_bytes_rejects(data, reason, named):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason == reason
    assert named in info.value.detail


# ------------------------------------------------------------------------------------------------
# Real articles and progress


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_ingest_seed_is_english_document(tmp_path, seed):
    shutil.copy(SEEDS / seed, tmp_path / seed)
    result = ingest_folder(tmp_path)
    validate(result)
    (row,) = result.raw_documents
    assert row["language"] == "en" and row["language_score"] >= 0.95
    assert row["raw_text"] == (SEEDS / seed).read_bytes().decode("utf-8")


def test_ingest_seed_folder_all_accepted():
    result = ingest_folder(SEEDS)
    validate(result)
    assert not result.rejected_documents
    assert len(result.raw_documents) == len(list(SEEDS.glob("*.txt"))) > 0


@pytest.mark.parametrize("progress", [True, False])
def test_ingest_progress_bar_on_attached_terminal(tmp_path, capsys, monkeypatch, progress):
    import io

    import pipeline.progress

    terminal = io.StringIO()
    monkeypatch.setattr(pipeline.progress, "_terminal", terminal)
    put(tmp_path, "a.txt", news(1))
    ingest_folder(tmp_path, progress=progress)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert ("ingest" in terminal.getvalue()) is progress
