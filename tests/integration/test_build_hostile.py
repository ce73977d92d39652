"""End to end: a folder of hostile files builds with exit 0 and every file accounted for."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.cli import main
from pipeline.io import read_table

pytestmark = pytest.mark.slow

ARTICLE = (
    "Ministers Meet in Geneva to Discuss Grain Exports\n"
    "GENEVA (Newswire) - Foreign ministers from five countries met on Tuesday to discuss grain exports "
    "through the Black Sea, officials said.\n"
    "The talks lasted three hours and ended without a joint statement, according to a spokesperson.\n"
    "“We made progress, but there is more to do,” the spokesperson told reporters after the meeting.\n"
)
GERMAN = (
    "Die Außenminister trafen sich am Dienstag in Genf, um über den Export von Getreide zu sprechen. "
    "Die Gespräche dauerten drei Stunden und endeten ohne gemeinsame Erklärung, teilte eine Sprecherin mit. "
    "Man habe Fortschritte gemacht, aber es gebe noch viel zu tun, sagte sie nach dem Treffen vor Journalisten.\n"
)


@pytest.fixture
def hostile(tmp_path):
    root = tmp_path / "in"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "twin.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "nul.txt").write_bytes(b"abc\x00\x00\x01\x02binary\x00")
    (root / "latin1.txt").write_bytes(ARTICLE.replace("talks", "café talks").replace("“", '"').replace("”", '"').encode("cp1252"))
    (root / "utf16.txt").write_text(ARTICLE.replace("Geneva", "Genève"), encoding="utf-16")
    (root / "crlf.txt").write_bytes(ARTICLE.replace("Tuesday", "Monday").replace("\n", "\r\n").encode())
    (root / "nested" / "deeper" / "résumé ü.txt").write_text(ARTICLE.replace("five", "six"), encoding="utf-8")
    (root / "german.txt").write_text(GERMAN * 3, encoding="utf-8")
    (root / "huge.txt").write_text(ARTICLE * 2000, encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text(ARTICLE.replace("five", "seven"), encoding="utf-8")
    (root / "link_out.txt").symlink_to(outside)
    return root


def test_build_hostile_folder_exits_zero_and_accounts_for_every_file(hostile, tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--input", str(hostile), "--output", str(out), "--quiet", "--max-file-bytes", "100000"]) == 0
    files = read_table("input_files", out)
    docs = read_table("documents", out)
    rejected = read_table("rejected_documents", out)
    on_disk = sorted(p.relative_to(hostile).as_posix() for p in hostile.rglob("*") if p.is_file() or p.is_symlink())
    assert sorted(files["source_path"]) == on_disk
    assert sorted(docs["source_path"].to_list() + rejected["source_path"].to_list()) == on_disk
    reasons = dict(zip(rejected["source_path"], rejected["reason"], strict=True))
    assert reasons["empty.txt"] == "empty" and reasons["blank.txt"] == "empty"
    assert reasons["image.png"] == "binary" and reasons["nul.txt"] == "binary"
    assert reasons["twin.txt"] == "duplicate"
    assert reasons["german.txt"] == "not_english"
    assert reasons["huge.txt"] == "too_large"
    assert reasons["link_out.txt"] == "unreadable"
    for path, detail in zip(rejected["source_path"], rejected["detail"], strict=True):
        assert path in detail, detail
    text = dict(zip(docs["source_path"], docs["text"], strict=True))
    assert "café talks" in text["latin1.txt"]
    titles = dict(zip(docs["source_path"], docs["title"], strict=True))
    assert "Genève" in titles["utf16.txt"] and "Black Sea" in text["utf16.txt"]
    assert "\r" not in text["crlf.txt"]
    assert "six countries" in text["nested/deeper/résumé ü.txt"]
    enc = read_table("raw_documents", out).filter(pl.col("source_path") == "crlf.txt")["raw_text"][0]
    assert "\r\n" in enc
