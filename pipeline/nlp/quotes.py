"""Quotations and reported speech: who said what, with the speaker resolved to an entity.

Pure functions (no Dagster): `extract_quotes` turns one parsed document into rows of `quotes`
(without `quote_cluster_id`); `cluster_quotes` groups the same words reported by several articles.

How a document is read:
1. Quotation marks (`find_quote_spans`), paragraph by paragraph. Double marks (straight, curly, «»,
   „“) are paired first; a straight mark is an opener or a closer by the characters around it, so
   mismatched pairs (`"…”`) pair. Single marks (‘…’, '…') pair second, only inside one double-quote
   region, and a ’ between letters (Velmar’s, don’t) is an apostrophe, never a closer; an s’ before
   a lower-case word (players’ union) closes only when no better closer or a new opener follows. A paragraph
   that opens a quote without closing it yields a quote to its end; when the next paragraph reopens
   with a mark the two pieces form one chain and share the speaker. Unpaired marks are skipped:
   an odd number of marks never stops the document. Single-mark quotations (British and Indian
   style) chain the same way when the next paragraph reopens with ‘.
2. Attribution (`_attribute`): cue words come from `pipeline/data/cue_verbs.tsv` (verbs) and
   `quote_phrases.tsv` ("according to"). The cue is the nearest cue verb that governs the quote in
   the parse (walking up from the quote's words), else a cue verb attached to the quote ("..., he
   said"), else "according to X" in the sentence, else a strong cue verb elsewhere in the sentence,
   else "X: '...'", else the speaker of the sentence before in the same paragraph; a paragraph that
   is nothing but a quotation continues the speaker of the paragraph before when that one ends with
   their (direct or reported) speech or its last sentence is about one person ("X was blunter.");
   a quotation attributed by context or by its chain counts as that speaker's speech for the next
   one. A cue whose subject names no speaker ("the relief announced so far was '...'", a parse of a
   reduced relative) gives way to the cue above it. The speaker is the
   cue verb's subject (climbing through "..., adding that", "speaking to Radio Nord, X said", relative
   "who"), or the object of "according to", resolved by `attribution.resolve_reference` over the
   mentions the reference can see (not names inside other quotations: "'Ana is hurt,' he said").
   When the governing cue is embedded in another cue's clause, or an "according to" also stands in
   the sentence, that other source is `relayed_by`; "..., the statement said, quoting X" gives the
   words to X, relayed by the statement's issuer. A pronoun subject of a cue inside someone's quoted
   words ("'When they say "final," I hear ...'") stays unresolved. A quote after a naming word
   ("so-called", "a group called") is a scare quote unless the naming verb has its own subject:
   "what the minister called '...'" is the minister's. Every piece of a multi-paragraph chain takes
   the attribution of its first attributed piece, by cue or by context.
3. Reported speech without marks (`_indirect`): a cue verb whose clausal complement is not itself
   a quotation ("X said that ..."), and "according to X, ...".

Offsets are code-point offsets into `doc.text`; `doc.text[start:end] == text` always holds.
"""

from __future__ import annotations

import csv
import hashlib
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl
from spacy.tokens import Doc, Token

from pipeline.nlp import doc_text
from pipeline.nlp.attribution import (
    DATA_DIR,
    SPEAKING_NOUNS,
    Mention,
    mention_at,
    resolve_reference,
    role_lexicon,
)

KINDS = ("direct", "partial", "indirect", "scare")

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
DOUBLE_AMBIG = '"＂'
SINGLE_OPEN = "‘‚‹"
SINGLE_CLOSE = "’›"
SINGLE_AMBIG = "'"
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBIG + SINGLE_OPEN + SINGLE_CLOSE + SINGLE_AMBIG

_OPEN_CONTEXT = set("([{—–-/:") | set(DOUBLE_OPEN) | set(SINGLE_OPEN)
_FIRST_PERSON = {"i", "we", "you", "me", "us"}
_SCARE_MARKERS = {"so-called", "dubbed", "termed", "called", "known", "word", "term", "phrase", "label"}
_WORD = re.compile(r"\w+")
_PARA = re.compile(r"[^\n]+")


# --------------------------------------------------------------------------------------------
# lexicons


@dataclass(frozen=True)
class CueLexicon:
    strong: frozenset[str]
    weak: frozenset[str]
    indirect: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]

    def is_cue(self, tok: Token) -> bool:
        return tok.pos_ in {"VERB", "AUX"} and _lemma(tok) in (self.strong | self.weak)


def _read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    rows = _read_tsv("cue_verbs.tsv")
    strong = frozenset(r["lemma"].strip() for r in rows if r["strength"].strip() == "strong")
    weak = frozenset(r["lemma"].strip() for r in rows if r["strength"].strip() == "weak")
    indirect = frozenset(r["lemma"].strip() for r in rows if r["indirect"].strip() == "yes")
    phrases = tuple(tuple(r["phrase"].lower().split()) for r in _read_tsv("quote_phrases.tsv"))
    return CueLexicon(strong, weak, indirect, phrases)


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma in {"emphasise"}:
        return "emphasize"
    return lemma


# --------------------------------------------------------------------------------------------
# quotation marks


@dataclass
class QuoteSpan:
    """A stretch of text between quotation marks (offsets of the text without the marks)."""

    start: int
    end: int
    open_pos: int | None
    close_pos: int | None
    family: str  # "double" | "single"
    para: int
    parent: int | None = None
    chain: int | None = None

    @property
    def outer_start(self) -> int:
        return self.open_pos if self.open_pos is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close_pos + 1 if self.close_pos is not None else self.end


def _classify_double(text: str, pos: int, lo: int, hi: int) -> str:
    ch = text[pos]
    if ch in DOUBLE_OPEN:
        return "open"
    if ch in DOUBLE_CLOSE:
        return "close"
    prev = text[pos - 1] if pos > lo else " "
    nxt = text[pos + 1] if pos + 1 < hi else " "
    prev_free = prev.isspace() or prev in _OPEN_CONTEXT
    next_free = nxt.isspace() or nxt in ",.;:!?)]}…" or nxt in DOUBLE_CLOSE + SINGLE_CLOSE
    if prev_free and not next_free:
        return "open"
    if next_free and not prev_free:
        return "close"
    if prev.isdigit():  # 12" screen
        return "none"
    return "ambig"


def _classify_single(text: str, pos: int, lo: int, hi: int) -> str:
    ch = text[pos]
    prev = text[pos - 1] if pos > lo else " "
    nxt = text[pos + 1] if pos + 1 < hi else " "
    prev_free = prev.isspace() or prev in _OPEN_CONTEXT or pos == lo
    if ch in SINGLE_OPEN:
        return "open" if not nxt.isspace() else "none"
    if ch in SINGLE_CLOSE or ch in SINGLE_AMBIG:
        if prev.isalnum() and nxt.isalnum():
            return "none"  # apostrophe: Velmar’s, don’t
        if ch in SINGLE_AMBIG and prev_free and (nxt.isalpha() or (nxt.isdigit() and not re.match(r"\d\ds\b", text[pos + 1 : pos + 4]))):
            return "open"
        if ch in SINGLE_CLOSE and prev_free:
            return "none"  # elision: ’90s, ’em
        if not prev.isspace() and not nxt.isalnum():
            # "players’ union" (s + space + lower-case word) is a weak closer: possibly possessive
            if prev in "sS" and nxt == " " and re.match(r" [a-z]", text[pos + 1 : pos + 3]):
                return "weak_close"
            return "close"
    return "none"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, outermost and nested, in text order. Never raises on odd marks."""
    paras = [(m.start(), m.end()) for m in _PARA.finditer(text)]
    spans: list[QuoteSpan] = []
    carry_open = False  # the previous paragraph ended inside an unclosed double quote
    carry_idx: int | None = None
    chain_id = 0
    for p, (lo, hi) in enumerate(paras):
        marks = [(i, _classify_double(text, i, lo, hi)) for i in range(lo, hi) if text[i] in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBIG]
        marks = [(i, r) for i, r in marks if r != "none"]
        open_at: int | None = None
        first = True
        para_spans: list[QuoteSpan] = []
        for i, role in marks:
            if open_at is None:
                if role in ("open", "ambig"):
                    open_at = i
                elif role == "close" and first and carry_open:
                    s, e = _strip(text, lo, i)
                    if s < e:
                        para_spans.append(QuoteSpan(s, e, None, i, "double", p, chain=spans[carry_idx].chain if carry_idx is not None else None))
            else:
                if role in ("close", "ambig"):
                    s, e = _strip(text, open_at + 1, i)
                    if s < e:
                        para_spans.append(QuoteSpan(s, e, open_at, i, "double", p))
                    open_at = None
                else:  # a second opener: the first one was never closed
                    open_at = i
            first = False
        starts_with_open = bool(marks) and marks[0][0] == _strip(text, lo, hi)[0] and marks[0][1] in ("open", "ambig")
        if carry_open and carry_idx is not None and starts_with_open and para_spans and para_spans[0].open_pos == marks[0][0]:
            para_spans[0].chain = spans[carry_idx].chain
        chained = carry_idx if carry_open else None  # a middle paragraph: reopened and left open again
        carry_open, carry_idx = False, None
        if open_at is not None:
            s, e = _strip(text, open_at + 1, hi)
            if s < e and _WORD.search(text[s:e]):
                q = QuoteSpan(s, e, open_at, None, "double", p)
                if starts_with_open and open_at == marks[0][0] and chained is not None:
                    q.chain = spans[chained].chain
                para_spans.append(q)
                carry_open = True
        spans.extend(para_spans)
        if carry_open:
            carry_idx = len(spans) - 1
            if spans[carry_idx].chain is None:
                spans[carry_idx].chain = chain_id
                chain_id += 1
    # chains only count when the next paragraph really continues
    counts = Counter(q.chain for q in spans if q.chain is not None)
    for q in spans:
        if q.chain is not None and counts[q.chain] < 2:
            q.chain = None

    # single marks, inside one double region each
    doubles = list(spans)

    def region(i: int) -> int:
        best = -1
        for k, q in enumerate(doubles):
            if q.outer_start <= i < q.outer_end and (best < 0 or q.outer_start >= doubles[best].outer_start):
                best = k
        return best

    def opens_with_single(p: int) -> bool:
        if p >= len(paras):
            return False
        lo, hi = paras[p]
        s, _ = _strip(text, lo, hi)
        return s < hi and text[s] in SINGLE_OPEN + SINGLE_AMBIG and _classify_single(text, s, lo, hi) == "open" and region(s) < 0

    next_chain = max((q.chain for q in spans if q.chain is not None), default=-1) + 1
    chain_into: dict[int, int] = {}  # paragraph -> chain its opening single-mark quote continues
    for p, (lo, hi) in enumerate(paras):
        marks = [(i, _classify_single(text, i, lo, hi)) for i in range(lo, hi) if text[i] in SINGLE_OPEN + SINGLE_CLOSE + SINGLE_AMBIG]
        marks = [(i, r, region(i)) for i, r in marks if r != "none"]
        para_first = _strip(text, lo, hi)[0]
        k = 0
        while k < len(marks):
            i, role, reg = marks[k]
            if role != "open":
                k += 1
                continue
            strong = weak = None
            j = k + 1
            while j < len(marks):
                i2, role2, reg2 = marks[j]
                if reg2 == reg and role2 == "open" and strong is None:
                    break  # a new opener: the quote closed at the weak closer before it, if any
                if reg2 == reg and role2 == "close":
                    strong = j
                    break
                if reg2 == reg and role2 == "weak_close" and weak is None:
                    weak = j
                j += 1
            close = strong if strong is not None else weak
            chain = chain_into.get(p) if i == para_first else None
            if close is None:
                if reg < 0 and opens_with_single(p + 1):
                    # British and Indian style: a quotation in single marks that runs on into the
                    # next paragraph, which reopens it ('...  then a new paragraph '...')
                    s, e = _strip(text, i + 1, hi)
                    if s < e and _WORD.search(text[s:e]):
                        if chain is None:
                            chain, next_chain = next_chain, next_chain + 1
                        spans.append(QuoteSpan(s, e, i, None, "single", p, chain=chain))
                        chain_into[p + 1] = chain
                        break
                k += 1
                continue
            s, e = _strip(text, i + 1, marks[close][0])
            if s < e and _WORD.search(text[s:e]):
                spans.append(QuoteSpan(s, e, i, marks[close][0], "single", p, chain=chain))
            k = close + 1

    spans.sort(key=lambda q: (q.outer_start, -q.outer_end))
    for a, q in enumerate(spans):
        best = None
        for b, r in enumerate(spans):
            if b != a and r.outer_start <= q.outer_start and q.outer_end <= r.outer_end and (r.outer_start, r.outer_end) != (q.outer_start, q.outer_end):
                if best is None or r.outer_start >= spans[best].outer_start:
                    best = b
        q.parent = best
    return spans


# --------------------------------------------------------------------------------------------
# attribution


@dataclass
class Attribution:
    speaker: Mention | None = None
    cue_tok: Token | None = None
    cue: tuple[int, int] | None = None  # char span of the cue words
    relayed: Mention | None = None
    found_cue: bool = False
    how: str = ""


@dataclass
class _Ctx:
    doc: Doc
    mentions: Sequence[Mention]
    spans: list[QuoteSpan]
    tok_quote: list[int | None]  # innermost quote (outer span incl. marks) of each token
    sent_of: list[int]
    para_of_char: list[int] = field(default_factory=list)
    para_bounds: list[tuple[int, int]] = field(default_factory=list)
    parent_att: dict[int, Attribution] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)  # token start offsets, for bisect
    sents: list = field(default_factory=list)
    text: str = ""
    mention_quote: list[int | None] = field(default_factory=list)  # innermost quote of each mention
    visible_cache: dict[frozenset, list] = field(default_factory=dict)


def _resolve(ctx: _Ctx, lo: int, hi: int) -> Mention | None:
    """`resolve_reference` seeing only the mentions a reference at `lo` can point back to: those
    outside quotations, or in the quotation (and its enclosing ones) the reference stands in. A
    name inside someone's quoted words ("'Ana is devastated,' he said") is not the reporting
    clause's antecedent."""
    k = _innermost(ctx.spans, lo)
    allowed: set[int | None] = {None}
    depth = 0
    while k is not None and depth < 20:
        allowed.add(k)
        k = ctx.spans[k].parent
        depth += 1
    key = frozenset(allowed)
    if key not in ctx.visible_cache:
        ctx.visible_cache[key] = [m for m, mq in zip(ctx.mentions, ctx.mention_quote, strict=True) if mq in allowed]
    return resolve_reference(ctx.doc, lo, hi, ctx.visible_cache[key])


def _toks(ctx: _Ctx, lo: int, hi: int) -> list[Token]:
    """Tokens starting in [lo, hi)."""
    return list(ctx.doc[bisect_left(ctx.starts, lo) : bisect_left(ctx.starts, hi)])


def _tok_in(tok: Token, lo: int, hi: int) -> bool:
    return lo <= tok.idx < hi


def _innermost(spans: list[QuoteSpan], pos: int) -> int | None:
    best = None
    for k, q in enumerate(spans):
        if q.outer_start <= pos < q.outer_end and (best is None or q.outer_start >= spans[best].outer_start):
            best = k
    return best


def _para_index(ctx: _Ctx, pos: int) -> int:
    for k, (lo, hi) in enumerate(ctx.para_bounds):
        if lo <= pos <= hi:
            return k
    return -1


def _cue_chars(tok: Token) -> tuple[int, int]:
    start, end = tok.idx, tok.idx + len(tok.text)
    for child in tok.children:
        if child.dep_ == "prt" and child.i == tok.i + 1:
            end = child.idx + len(child.text)
    if _lemma(tok) == "tell":
        for child in tok.children:
            if child.dep_ in {"dobj", "dative", "iobj"} and child.left_edge.i == tok.i + 1 and len(list(child.subtree)) <= 4:
                end = max(end, child.right_edge.idx + len(child.right_edge.text))
    return start, end


_NP_LEFT = {"PROPN", "NOUN", "PRON"}


def _left_np_subject(tok: Token) -> Token | None:
    """'..., Norvic tabloid Dagposten claimed': the noun phrase right before a subject-less cue verb."""
    doc = tok.doc
    i = tok.i - 1
    while i >= 0 and doc[i].pos_ in {"ADV", "AUX", "PART"} and doc[i].lower_ not in {",", "that"}:
        i -= 1
    if i > 0 and doc[i].text == "," and doc[i - 1].pos_ == "PROPN" and doc[i - 1].dep_ == "appos":
        return doc[i - 1]  # "the US envoy for Sudan, Karen Holloway, told": the parser hung the name elsewhere
    if i > 0 and doc[i].text == ",":
        # "In a post on X, Ada Roe, national secretary of the Vela Party (VP), described ...": the
        # name the parser hung on an earlier phrase, with its own appositive up to the comma
        for t in doc[max(0, i - 30) : i]:
            if t.pos_ == "PROPN" and t.dep_ == "appos" and i - 2 <= t.right_edge.i < i and t.left_edge.i > 0 and doc[t.left_edge.i - 1].text == ",":
                return t
    if i < 0 or doc[i].pos_ not in _NP_LEFT or doc[i].is_punct:
        return None
    if doc[i].pos_ == "PRON" and doc[i].lower_ not in {"he", "she", "they", "it", "who"}:
        return None
    # the phrase must be preceded by a comma/sentence start (inverted attribution), not be the object
    j = i
    while j > 0 and (doc[j - 1].pos_ in {"PROPN", "NOUN", "ADJ", "DET", "PART"} or doc[j - 1].tag_ == "POS") and not doc[j - 1].is_punct:
        j -= 1
    if j > 0 and not (doc[j - 1].is_punct or doc[j - 1].is_space):
        return None
    return doc[i]


def _relative_swallowed_subject(tok: Token) -> Token | None:
    """'Ana Vell, whose father lost everything, said ...' parsed with "Ana Vell" as a second subject
    of the relative clause's verb (a left complement of the cue verb): the name before ", whose"."""
    doc = tok.doc
    for c in tok.children:
        if c.dep_ not in {"ccomp", "advcl", "parataxis"} or c.i > tok.i:
            continue
        for s in c.children:
            if s.dep_ == "nsubj" and s.pos_ == "PROPN" and s.i + 2 < tok.i and doc[s.i + 1].text == "," and doc[s.i + 2].lower_ in {"whose", "who"}:
                return s
    return None


def _subject_token(tok: Token) -> Token | None:
    """The token naming who performs the cue verb `tok` (climbing through participles and conjuncts)."""
    lex = cue_lexicon()
    cur = tok
    for step in range(4):
        agent = None
        subjects = [c for c in cur.children if c.dep_ in {"nsubj", "csubj"}]
        if subjects:  # two subjects = a split name phrase ("X's envoy | Tomas Arvidsen"): the nearest
            return min(subjects, key=lambda c: abs(c.i - cur.i))
        for child in cur.children:
            if child.dep_ == "agent":
                agent = next((g for g in child.children if g.dep_ == "pobj"), None)
        if agent is not None:
            return agent
        if any(c.dep_ == "nsubjpass" for c in cur.children):
            return None  # "was described as ..." with no agent: nobody named
        if step == 0 and cur.tag_ != "VBG":
            left = _left_np_subject(cur) or _relative_swallowed_subject(cur)
            if left is not None:
                return left
        head = cur.head
        if head.i == cur.i:
            return None
        if cur.dep_ in {"acl"} and cur.tag_ == "VBG" and head.pos_ in {"NOUN", "PROPN"}:
            return head  # "Halvorsen, speaking in Velmar, ..."
        if cur.dep_ == "relcl":
            return head
        if cur.dep_ in {"advcl", "xcomp", "conj", "pcomp", "dep", "parataxis"} or (cur.dep_ == "ccomp" and cur.tag_ == "VBG"):
            # a reporting participle or conjunct the parser hung inside another cue's complement
            # ("X said Ostria should ..., claiming ...") belongs to that cue's speaker
            if (
                cur.dep_ in {"advcl", "conj"}
                # (a finite conjunct shares its head's subject: "'X stood here and told us ...,' Y said")
                and (cur.tag_ == "VBG" or (cur.dep_ == "conj" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in head.children)))
                and lex.is_cue(cur)
                and not lex.is_cue(head)
                and head.dep_ == "ccomp"
                and lex.is_cue(head.head)
                and not any("\n" in t.text for t in tok.doc[min(head.head.i, tok.i) : max(head.head.i, tok.i)])
            ):
                head = head.head
            cur = head
            continue
        return None
    return None


def _np_chars(tok: Token) -> tuple[int, int]:
    """Characters of the noun phrase headed by `tok`, without relative clauses or trailing commas."""
    toks = [t for t in tok.subtree if not any(a.dep_ in {"relcl", "acl"} and a.i != tok.i and a in tok.subtree and t in a.subtree for a in t.ancestors if a.i != tok.i)]
    toks = [t for t in toks if not (t.dep_ in {"relcl", "acl"} and t.head.i == tok.i)]
    lo = min(t.idx for t in toks)
    hi = max(t.idx + len(t.text) for t in toks)
    return lo, hi


def _speaker_of(ctx: _Ctx, cue: Token) -> tuple[Mention | None, bool]:
    """(resolved speaker, whether a subject was found at all) for a cue verb."""
    subj = _subject_token(cue)
    if subj is None:
        return None, False
    if subj.lower_ in _FIRST_PERSON:
        return None, True
    if subj.pos_ == "PRON" and ctx.tok_quote[cue.i] is not None:
        # "'When they say "full and final," I hear ...,' he said": a pronoun in someone's quoted
        # words points into their discourse, not the article's: unresolved
        return None, True
    lo, hi = _np_chars(subj)
    spk = _resolve(ctx, lo, hi)
    others = [c for c in subj.head.children if c.dep_ == "nsubj" and c.i != subj.i and c.i < subj.i] if subj.dep_ == "nsubj" else []
    if others and (spk is None or str(spk.get("type")) != "PERSON"):
        # "Rep. Bae Min-seok of the Vela Party wrote": the parser split the phrase into several
        # subjects; the person named first is the one who speaks, not the party after "of"
        for o in others:
            hit = _resolve(ctx, o.idx, o.idx + len(o.text))
            if hit is not None and str(hit.get("type")) == "PERSON":
                return hit, True
    return spk, True


def _cannot_speak(subj: Token | None) -> bool:
    """A common noun subject that names no speaker: no role ("the minister"), organisation noun
    ("the ministry"), document ("the report") or group of people ("residents")."""
    if subj is None or subj.pos_ != "NOUN":
        return False
    lemma = subj.lemma_.lower()
    return not (lemma in role_lexicon() or subj.lower_ in role_lexicon() or lemma in SPEAKING_NOUNS)


def _quoting(ctx: _Ctx, cue: Token) -> Mention | None:
    """'..., the statement said, quoting mission chief X': the words are X's."""
    for c in cue.children:
        if c.lower_ == "quoting" and c.dep_ in {"advcl", "xcomp", "dep", "conj", "acl", "prep", "pcomp"}:
            obj = next((o for o in c.children if o.dep_ in {"dobj", "pobj", "attr"}), None)
            if obj is not None:
                lo, hi = _np_chars(obj)
                return _resolve(ctx, lo, hi)
    return None


def _phrase_cues(ctx: _Ctx, lo: int, hi: int, level: int | None) -> list[tuple[Token, Token]]:
    """(first token of the phrase, object token) for each "according to X" between lo and hi."""
    out = []
    doc = ctx.doc
    for phrase in cue_lexicon().phrases:
        n = len(phrase)
        for tok in _toks(ctx, lo, hi):
            if tok.i + n > len(doc):
                continue
            if ctx.tok_quote[tok.i] != level:
                continue
            if all(doc[tok.i + k].lower_ == w for k, w in enumerate(phrase)):
                last = doc[tok.i + n - 1]
                obj = next((c for c in last.children if c.dep_ in {"pobj", "dobj"}), None)
                if obj is None and tok.i + n < len(doc):
                    obj = doc[tok.i + n]
                    while obj.head.i > obj.i and obj.head.i < len(doc) and obj.head.idx < hi and obj.dep_ in {"compound", "amod", "det", "poss", "case"}:
                        obj = obj.head
                out.append((tok, obj))
    return out


def _sent_bounds(ctx: _Ctx, q: QuoteSpan) -> tuple[int, int]:
    sents = ctx.sents
    s0 = sents[ctx.sent_of[_tok_at(ctx, q.outer_start)]]
    s1 = sents[ctx.sent_of[_tok_at(ctx, max(q.outer_end - 1, q.outer_start))]]
    lo, hi = s0.start_char, s1.end_char
    # a sentence split right after the closing mark (", he said." parsed alone)
    k = ctx.sent_of[s1.end - 1] + 1 if len(s1) else None
    if k is not None and k < len(sents) and q.outer_end >= s1.end_char - 2:
        nxt = sents[k]
        if nxt.text[:1].islower() or (len(nxt) <= 8 and any(cue_lexicon().is_cue(t) for t in nxt)):
            hi = nxt.end_char
    plo, phi = ctx.para_bounds[max(0, _para_index(ctx, q.outer_start))]
    return max(lo, plo), min(hi, phi)


def _tok_at(ctx: _Ctx, pos: int) -> int:
    """Index of the token containing (or first after) character `pos`."""
    if not ctx.starts:
        return 0
    k = bisect_right(ctx.starts, pos) - 1
    return min(max(k, 0), len(ctx.starts) - 1)


def _attribute(ctx: _Ctx, qi: int) -> Attribution:
    doc, q = ctx.doc, ctx.spans[qi]
    lex = cue_lexicon()
    level = q.parent
    parent = ctx.spans[level] if level is not None else None
    plo, phi = ctx.para_bounds[max(0, _para_index(ctx, q.outer_start))]
    lo_lim = parent.start if parent else plo
    hi_lim = parent.end if parent else phi
    if q.chain is not None and parent is None:
        hi_lim = max(hi_lim, q.outer_end)

    def available(t: Token) -> bool:
        return ctx.tok_quote[t.i] == level and lo_lim <= t.idx < hi_lim

    inside = _toks(ctx, q.start, q.end)
    roots = [t for t in inside if not (q.outer_start <= t.head.idx < q.outer_end) or t.head.i == t.i]
    chain: list[Token] = []
    for r in roots:
        h = r
        for _ in range(12):
            if h.head.i == h.i:
                break
            h = h.head
            if not (lo_lim <= h.idx < hi_lim):
                break
            if available(h) and lex.is_cue(h) and h not in chain:
                chain.append(h)
    attached = []
    for t in inside:
        for c in t.children:
            if available(c) and lex.is_cue(c) and c not in chain and c not in attached and c.dep_ in {"parataxis", "ccomp", "conj", "advcl", "dep", "acl", "relcl"}:
                attached.append(c)
    slo, shi = _sent_bounds(ctx, q)
    slo, shi = max(slo, lo_lim), min(shi, hi_lim)
    phrases = _phrase_cues(ctx, slo, shi, level)

    att = Attribution()
    cands = chain + attached
    for n, c in enumerate(cands):
        spk, has_subj = _speaker_of(ctx, c)
        if not has_subj:
            continue
        if spk is None and n + 1 < len(chain) and _cannot_speak(_subject_token(c)):
            # "said the relief announced so far was '...'": a clause the parser made of a reduced
            # relative, its subject a thing; the cue above it, with a speaker, holds the quote
            for h in chain[n + 1 :]:
                above, found = _speaker_of(ctx, h)
                if found and above is not None:
                    c, spk = h, above
                    break
        att.speaker, att.cue_tok, att.cue, att.found_cue, att.how = spk, c, _cue_chars(c), True, "syntax"
        break
    if not att.found_cue and phrases:
        tok, obj = phrases[0]
        lo, hi = _np_chars(obj)
        att.speaker = _resolve(ctx, lo, hi)
        last = doc[tok.i + 1] if tok.i + 1 < len(doc) else tok
        att.cue, att.found_cue, att.how = (tok.idx, last.idx + len(last.text)), True, "phrase"
        phrases = phrases[1:]
    if not att.found_cue:
        near = [t for t in _toks(ctx, slo, shi) if available(t) and lex.is_cue(t) and _lemma(t) in lex.strong]
        near.sort(key=lambda t: min(abs(t.idx - q.outer_end), abs(t.idx - q.outer_start)))
        for c in near:
            spk, has_subj = _speaker_of(ctx, c)
            if has_subj:
                att.speaker, att.cue_tok, att.cue, att.found_cue, att.how = spk, c, _cue_chars(c), True, "near"
                break
    if not att.found_cue:
        _colon(ctx, q, att)
    # relay: another source above the speaker's cue, or "according to X"
    if att.found_cue:
        relays: list[Mention] = []
        quoted = _quoting(ctx, att.cue_tok) if att.cue_tok is not None else None
        if quoted is not None:
            if att.speaker is not None:
                relays.append(att.speaker)
            att.speaker = quoted
        if att.cue_tok is not None:
            for c in cands[cands.index(att.cue_tok) + 1 :] if att.cue_tok in cands else []:
                spk, _ = _speaker_of(ctx, c)
                if spk is not None:
                    relays.append(spk)
                    break
        for _tok, obj in phrases:
            if att.how == "phrase":
                break
            lo, hi = _np_chars(obj)
            spk = _resolve(ctx, lo, hi)
            if spk is not None:
                relays.append(spk)
        if level is not None and ctx.parent_att.get(level) is not None and ctx.parent_att[level].speaker is not None:
            relays.append(ctx.parent_att[level].speaker)
        for r in relays:
            if att.speaker is None or r.get("entity_id") != att.speaker.get("entity_id"):
                att.relayed = r
                break
    return att


def _colon(ctx: _Ctx, q: QuoteSpan, att: Attribution) -> None:
    """'X: "..."' and 'X said:' (also across a paragraph break)."""
    text = ctx.text
    i = q.outer_start - 1
    while i >= 0 and text[i] in " \t\n":
        i -= 1
    if i < 0 or text[i] != ":":
        return
    colon = i
    start = max(text.rfind("\n", 0, colon) + 1, 0)
    sents = [s for s in ctx.sents if s.start_char <= colon and s.end_char > start]
    if sents:
        start = max(start, sents[-1].start_char)
    lex = cue_lexicon()
    toks = [t for t in _toks(ctx, start, colon) if ctx.tok_quote[t.i] is None]
    for t in reversed(toks):
        if lex.is_cue(t):
            spk, has_subj = _speaker_of(ctx, t)
            if has_subj:
                att.speaker, att.cue_tok, att.cue, att.found_cue, att.how = spk, t, _cue_chars(t), True, "colon"
                return
    hits = [m for m in ctx.mentions if start <= int(m["start"]) and int(m["end"]) <= colon and str(m.get("type")) in {"PERSON", "ORG", "GPE", "NORP"}]
    if hits and len(_WORD.findall(text[start:colon])) <= 12:
        m = hits[0]
        att.speaker, att.cue, att.found_cue, att.how = m, (colon, colon + 1), True, "colon"


def _is_full(text: str, q: QuoteSpan, sent_start: int) -> bool:
    body = text[q.start : q.end]
    if len(_WORD.findall(body)) < 4 and not re.search(r"[.!?,…]\W*$", body):
        return False
    first = next((ch for ch in body if ch.isalnum()), "")
    if not first or not (first.isupper() or first.isdigit()):
        return False
    i = q.outer_start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n" or q.outer_start <= sent_start:
        return True
    return text[i] in ",:;(—–-" or text[i] in ".!?" or text[i] in DOUBLE_OPEN + SINGLE_OPEN


def _scare_marked(text: str, q: QuoteSpan, ctx: _Ctx | None = None) -> bool:
    """The quote follows a naming word ("so-called", "dubbed", "a group called"): a term, not
    someone's words. A naming verb with its own subject is a speech act instead: "what the
    minister called '...'", "a goal she called '...'"."""
    before = text[max(0, q.outer_start - 30) : q.outer_start].lower().split()
    if len(before) > 1 and before[-2] == "so-called":
        return True
    if not before or before[-1] not in _SCARE_MARKERS:
        return False
    if ctx is not None and ctx.starts and ctx.doc is not None:
        k = _tok_at(ctx, q.outer_start)
        tok = ctx.doc[k - 1] if k >= 1 else None
        if tok is not None and tok.lower_ == before[-1] and tok.pos_ == "VERB" and any(
            c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "what") for c in tok.children
        ):
            return False
    return True


# --------------------------------------------------------------------------------------------
# public API


QUOTE_COLUMNS: dict[str, pl.DataType] = {
    "quote_id": pl.Utf8,
    "doc_id": pl.Utf8,
    "text": pl.Utf8,
    "start": pl.Int64,
    "end": pl.Int64,
    "kind": pl.Utf8,
    "speaker_entity_id": pl.Utf8,
    "speaker_name": pl.Utf8,
    "speaker_start": pl.Int64,
    "speaker_end": pl.Int64,
    "cue": pl.Utf8,
    "cue_start": pl.Int64,
    "cue_end": pl.Int64,
    "relayed_by_entity_id": pl.Utf8,
    "relayed_by_name": pl.Utf8,
    "parent_quote_id": pl.Utf8,
    "open_mark": pl.Utf8,
    "close_mark": pl.Utf8,
}
"""Columns of the rows `extract_quotes` returns (`quotes` without quote_cluster_id), for
`pl.DataFrame(rows, schema=QUOTE_COLUMNS)`."""


def quote_id(doc_id: str, start: int, end: int) -> str:
    """Stable id of a quote: first 16 hex chars of SHA-256 over doc_id, start and end."""
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def _row(doc_id: str, text: str, start: int, end: int, kind: str) -> dict:
    return {
        "quote_id": quote_id(doc_id, start, end),
        "doc_id": doc_id,
        "text": text[start:end],
        "start": start,
        "end": end,
        "kind": kind,
        "speaker_entity_id": None,
        "speaker_name": None,
        "speaker_start": None,
        "speaker_end": None,
        "cue": None,
        "cue_start": None,
        "cue_end": None,
        "relayed_by_entity_id": None,
        "relayed_by_name": None,
        "parent_quote_id": None,
        "open_mark": None,
        "close_mark": None,
    }


def _fill(row: dict, text: str, att: Attribution) -> None:
    if att.speaker is not None:
        row["speaker_entity_id"] = str(att.speaker["entity_id"])
        row["speaker_name"] = str(att.speaker["name"])
        row["speaker_start"] = int(att.speaker["start"])
        row["speaker_end"] = int(att.speaker["end"])
    if att.cue is not None:
        row["cue_start"], row["cue_end"] = att.cue
        row["cue"] = text[att.cue[0] : att.cue[1]]
    if att.relayed is not None:
        row["relayed_by_entity_id"] = str(att.relayed["entity_id"])
        row["relayed_by_name"] = str(att.relayed["name"])


def _token_quotes(doc: Doc, spans: list[QuoteSpan]) -> list[int | None]:
    """Innermost quotation (outer span, marks included) of each token, by its start offset."""
    out: list[int | None] = [None] * len(doc)
    starts = [t.idx for t in doc]
    # outer quotes first, inner ones overwrite
    for k in sorted(range(len(spans)), key=lambda k: (spans[k].outer_start, -spans[k].outer_end)):
        q = spans[k]
        for i in range(bisect_left(starts, q.outer_start), bisect_left(starts, q.outer_end)):
            out[i] = k
    return out


def _make_ctx(doc: Doc, mentions: Sequence[Mention], spans: list[QuoteSpan]) -> _Ctx:
    tok_quote = _token_quotes(doc, spans)
    sent_of = [0] * len(doc)
    sents = list(doc.sents) if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = k
    ctx = _Ctx(doc, mentions, spans, tok_quote, sent_of)
    ctx.starts = [t.idx for t in doc]
    ctx.sents = sents
    ctx.text = doc_text(doc)
    ctx.para_bounds = [(m.start(), m.end()) for m in _PARA.finditer(ctx.text)] or [(0, len(ctx.text))]
    ctx.parent_att = {}
    ctx.mention_quote = [_innermost(spans, int(m["start"])) for m in ctx.mentions]
    return ctx


def _quoted_sentence(ctx: _Ctx, sent) -> bool:
    """The sentence holds a quotation (its subject may be someone quoted, not the narrator's); an
    apostrophe ("Norland’s") is none."""
    return any(q.outer_start < sent.end_char and sent.start_char < q.outer_end for q in ctx.spans)


def _whole_paragraph(ctx: _Ctx, q: QuoteSpan) -> bool:
    """The quote (with its marks) is its paragraph's whole text."""
    lo, hi = ctx.para_bounds[max(0, _para_index(ctx, q.outer_start))]
    return ctx.text[lo:hi].strip() == ctx.text[q.outer_start : q.outer_end].strip()


def _last_in_paragraph(ctx: _Ctx, pos: int) -> bool:
    """The speech event at `pos` is in its paragraph's last sentence."""
    _, hi = ctx.para_bounds[max(0, _para_index(ctx, pos))]
    return not ctx.text[ctx.sents[ctx.sent_of[_tok_at(ctx, pos)]].end_char : hi].strip()


def _previous_speaker(ctx: _Ctx, q: QuoteSpan, events: list[tuple[int, int, Mention]], full: bool) -> Mention | None:
    """Speaker of the sentence before a cue-less quote, in the same paragraph."""
    sents = ctx.sents
    k = ctx.sent_of[_tok_at(ctx, q.outer_start)]
    para = _para_index(ctx, q.outer_start)
    for pos, epara, spk in reversed(events):
        if pos < q.outer_start and epara == para and ctx.sent_of[_tok_at(ctx, pos)] >= k - 2:
            return spk
        if pos < q.outer_start:
            # a paragraph that is nothing but a quotation continues the speaker of the paragraph
            # before, when that paragraph ends with their (direct or reported) speech
            if full and epara == para - 1 and _whole_paragraph(ctx, q) and _last_in_paragraph(ctx, pos):
                return spk
            break
    if full and k > 0:
        prev = sents[k - 1]
        same_para = _para_index(ctx, prev.start_char) == para
        # a paragraph that is only this quotation, after a paragraph whose last sentence is about
        # one person ("Polish Deputy Prime Minister X was blunter."): the quotation is theirs
        if same_para or (_para_index(ctx, prev.start_char) == para - 1 and _whole_paragraph(ctx, q) and not _quoted_sentence(ctx, prev)):
            root = prev.root
            subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is None:  # "..., the group's co-chair, Ada Roe, read from ...": the name hung elsewhere
                subj = _left_np_subject(root)
            if subj is not None:
                lo, hi = _np_chars(subj)
                m = _resolve(ctx, lo, hi)
                if m is not None and str(m.get("type")) == "PERSON":
                    return m
    return None


def extract_quotes(doc_id: str, doc: Doc, mentions: Sequence[Mapping]) -> list[dict]:
    """Rows of `quotes` (without quote_cluster_id) for one parsed document. Never raises on odd text."""
    text = doc_text(doc)
    spans = find_quote_spans(text)
    ctx = _make_ctx(doc, list(mentions), spans)
    has_parse = doc.has_annotation("DEP")
    rows: list[dict] = []
    atts: dict[int, Attribution] = {}
    ids: dict[int, str] = {}
    events: list[tuple[int, int, Mention]] = []  # (char pos, paragraph, speaker) of attributed speech
    order = sorted(range(len(spans)), key=lambda k: (spans[k].outer_start, -spans[k].outer_end))
    # parents first, so nested quotes can see their parent's attribution
    for k in sorted(order, key=lambda k: _nest_depth(spans, k)):
        atts[k] = _attribute(ctx, k) if has_parse else Attribution()
        ctx.parent_att[k] = atts[k]
    indirect_rows, indirect_events = (_indirect(doc_id, ctx) if has_parse else ([], []))
    for k in order:
        if atts[k].found_cue and atts[k].speaker is not None:
            # placed at the later of the quotation's last character and its cue: a quotation of
            # several sentences ends where its speech event does
            cue_end = atts[k].cue[1] - 1 if atts[k].cue is not None else spans[k].outer_start
            pos = max(spans[k].outer_end - 1, cue_end) if _para_index(ctx, cue_end) == _para_index(ctx, spans[k].outer_start) else spans[k].outer_end - 1
            events.append((max(pos, spans[k].outer_start), spans[k].para, atts[k].speaker))
    events.extend(indirect_events)
    events.sort(key=lambda e: e[0])
    # chains of a quote continued over paragraphs share one attribution
    chain_att: dict[int, Attribution] = {}
    for k in order:
        c = spans[k].chain
        if c is not None and atts[k].found_cue and c not in chain_att:
            chain_att[c] = atts[k]
    sents = ctx.sents
    for k in order:
        q = spans[k]
        att = atts[k]
        if not att.found_cue and q.chain is not None and q.chain in chain_att:
            att = chain_att[q.chain]
        sent_start = sents[ctx.sent_of[_tok_at(ctx, q.outer_start)]].start_char if sents else 0
        full = _is_full(text, q, sent_start)
        scare_marked = _scare_marked(text, q, ctx)
        if scare_marked:
            att = Attribution()
        if not att.found_cue and not scare_marked and has_parse and q.parent is None:
            spk = _previous_speaker(ctx, q, events, full)
            if spk is not None:
                att = Attribution(speaker=spk, found_cue=False, how="context")
        if not att.found_cue and att.speaker is not None and not scare_marked:
            # a quotation given to a speaker by context or by its chain is their speech too: a
            # paragraph that is only a quotation after it continues them
            # (placed at its last character, so that its paragraph-final sentence is the one tested)
            insort(events, (max(q.outer_start, q.outer_end - 1), q.para, att.speaker), key=lambda e: e[0])
        if q.chain is not None and q.chain not in chain_att and att.speaker is not None and not scare_marked:
            chain_att[q.chain] = att  # a piece attributed by context speaks for the rest of its chain
        if att.found_cue or att.speaker is not None:
            kind = "direct" if full else "partial"
        elif q.parent is not None:
            kind = "direct" if full and re.search(r"[.!?…]\W*$", text[q.start : q.end]) else "scare"
        elif full and len(_WORD.findall(text[q.start : q.end])) > 4:
            kind = "direct"
        elif len(_WORD.findall(text[q.start : q.end])) <= 5 or scare_marked:
            kind = "scare"
        else:
            kind = "partial"
        row = _row(doc_id, text, q.start, q.end, kind)
        _fill(row, text, att)
        row["open_mark"] = text[q.open_pos] if q.open_pos is not None else None
        row["close_mark"] = text[q.close_pos] if q.close_pos is not None else None
        ids[k] = row["quote_id"]
        rows.append(row)
    for k, row in zip(order, rows, strict=True):
        if spans[k].parent is not None:
            row["parent_quote_id"] = ids[spans[k].parent]
    seen = {r["quote_id"] for r in rows}
    rows.extend(r for r in indirect_rows if r["quote_id"] not in seen)
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return rows


def _nest_depth(spans: list[QuoteSpan], k: int) -> int:
    d = 0
    while spans[k].parent is not None and d < 20:
        k = spans[k].parent
        d += 1
    return d


# --------------------------------------------------------------------------------------------
# reported speech without marks


def _content_range(doc: Doc, toks: list[Token]) -> tuple[int, int] | None:
    toks = sorted(toks, key=lambda t: t.i)
    while toks and (toks[0].dep_ in {"mark", "punct", "cc"} or toks[0].lower_ in {"that", ","}):
        toks = toks[1:]
    while toks and (toks[-1].is_punct and toks[-1].text not in ALL_MARKS or toks[-1].dep_ in {"cc"}):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _contiguous(toks: list[Token]) -> list[list[Token]]:
    runs: list[list[Token]] = []
    for t in sorted(toks, key=lambda t: t.i):
        if runs and runs[-1][-1].i == t.i - 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def _indirect(doc_id: str, ctx: _Ctx) -> tuple[list[dict], list[tuple[int, int, Mention]]]:
    doc, text = ctx.doc, ctx.text
    lex = cue_lexicon()
    rows: list[dict] = []
    events: list[tuple[int, int, Mention]] = []
    spans = ctx.spans

    def quoted_chars(lo: int, hi: int) -> int:
        n = 0
        for q in spans:
            if q.parent is None:
                n += max(0, min(hi, q.outer_end) - max(lo, q.outer_start))
        return n

    def emit(lo: int, hi: int, spk: Mention | None, cue: tuple[int, int], relayed: Mention | None) -> dict | None:
        plo, phi = ctx.para_bounds[max(0, _para_index(ctx, cue[0]))]
        lo, hi = _strip(text, max(lo, plo), min(hi, phi))
        lo, hi = _trim_edges(text, lo, hi)
        for q in spans:  # keep a quotation that the content opens whole: '"baseless."' not '"baseless'
            if lo <= q.outer_start < hi < q.outer_end <= hi + 3 and q.close_pos is not None:
                hi = q.outer_end
        if hi - lo < 8 or len(_WORD.findall(text[lo:hi])) < 3:
            return None
        # quotations the cue stands outside of are quoted material, not reported content
        outside = [q for q in spans if not (q.outer_start <= cue[0] < q.outer_end)]
        unquoted_words = len(_WORD.findall(_mask_quotes(text, lo, hi, outside)))
        if unquoted_words < 3:
            return None
        if any(q.outer_start <= lo and hi <= q.outer_end + 1 for q in outside):
            return None
        row = _row(doc_id, text, lo, hi, "indirect")
        _fill(row, text, Attribution(speaker=spk, cue=cue, relayed=relayed))
        rows.append(row)
        return row

    for tok in doc:
        if not (tok.pos_ in {"VERB", "AUX"} and _lemma(tok) in lex.indirect):
            continue
        if tok.dep_ in {"amod", "acl"} and tok.tag_ == "VBN":
            continue  # "weapons already pledged to Ostria"
        in_quote = ctx.tok_quote[tok.i]
        comp = [c for c in tok.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}]
        if not comp:
            # "..., Varga said." parsed with the reporting verb under the reported clause
            if tok.dep_ in {"parataxis", "ccomp", "advcl", "conj"} and tok.head.i < tok.i and tok.head.pos_ in {"VERB", "AUX"} and not any(c.dep_ in {"dobj", "xcomp"} for c in tok.children):
                head = tok.head
                if ctx.tok_quote[head.i] == in_quote and not lex.is_cue(head):
                    own = set(tok.subtree)
                    toks = [t for t in head.subtree if t not in own and t.i < tok.i]
                    runs = _contiguous(toks)
                    if runs:
                        comp_toks = max(runs, key=len)
                        subj = _subject_token(tok)
                        if subj is not None and subj.lower_ not in _FIRST_PERSON:
                            lo, hi = _np_chars(subj)
                            spk = _resolve(ctx, lo, hi)
                            rng = _content_range(doc, comp_toks)
                            if rng and quoted_chars(*rng) < 0.5 * (rng[1] - rng[0]):
                                emit(rng[0], rng[1], spk, _cue_chars(tok), None)
                                if spk is not None:
                                    events.append((tok.idx, _para_index(ctx, tok.idx), spk))
            continue
        subj = _subject_token(tok)
        if subj is None or subj.lower_ in _FIRST_PERSON:
            continue
        lo, hi = _np_chars(subj)
        spk = _resolve(ctx, lo, hi)
        if spk is not None:
            events.append((tok.idx, _para_index(ctx, tok.idx), spk))
        # several complements of one verb (a split parse) make one content span
        groups = [[c for c in comp if c.i > tok.i], [c for c in comp if c.i < tok.i]]
        for group in groups:
            if not group:
                continue
            c = group[0]
            if ctx.tok_quote[c.i] != in_quote and in_quote is None:
                continue  # the complement is itself a quotation
            toks = [t for g in group for t in g.subtree]
            rng = _content_range(doc, toks)
            if rng is None:
                continue
            relayed = None
            # a reporting verb inside another one's complement or inside a quote: relayed speech
            for anc in tok.ancestors:
                if lex.is_cue(anc) and _lemma(anc) in lex.indirect:
                    s2 = _subject_token(anc)
                    if s2 is not None:
                        l2, h2 = _np_chars(s2)
                        relayed = _resolve(ctx, l2, h2)
                    break
            if in_quote is not None and relayed is None:
                pa = ctx.parent_att.get(in_quote)
                relayed = pa.speaker if pa is not None else None
            if relayed is not None and spk is not None and relayed.get("entity_id") == spk.get("entity_id"):
                relayed = None
            emit(rng[0], rng[1], spk, _cue_chars(tok), relayed)

    # "according to X, <clause>"
    for phrase_tok, obj in _phrase_cues(ctx, 0, len(text), None):
        head = phrase_tok.head
        own = set(phrase_tok.subtree)
        if head.i == phrase_tok.i:
            continue
        base = head
        toks = [t for t in base.subtree if t not in own]
        runs = [r for r in _contiguous(toks) if any(not t.is_punct for t in r)]
        if not runs:
            continue
        best = max(runs, key=lambda r: sum(1 for t in r if not t.is_punct))
        # "According to X, <apposition without a verb>, <clause>": drop the apposition
        commas = [k for k, t in enumerate(best) if t.text == ","]
        if best and best[0].i < phrase_tok.i + 2 + len(list(obj.subtree)) + 8 and commas:
            k = commas[0]
            if k < 8 and not any(t.pos_ in {"VERB", "AUX"} for t in best[:k]) and any(t.pos_ in {"VERB", "AUX"} for t in best[k:]):
                best = best[k + 1 :]
        rng = _content_range(doc, best)
        if rng is None:
            continue
        lo, hi = _np_chars(obj)
        spk = _resolve(ctx, lo, hi)
        if spk is not None:
            events.append((phrase_tok.idx, _para_index(ctx, phrase_tok.idx), spk))
        # "X emphasized that ..., according to Y": Y relays X's reported speech, no row of its own
        inner = [r for r in rows if rng[0] <= r["start"] and r["end"] <= rng[1] and r["cue_start"] is not None and rng[0] <= r["cue_start"] < rng[1]]
        if inner:
            for r in inner:
                if spk is not None and r["relayed_by_entity_id"] is None and r["speaker_entity_id"] != str(spk["entity_id"]):
                    r["relayed_by_entity_id"], r["relayed_by_name"] = str(spk["entity_id"]), str(spk["name"])
            continue
        last = doc[phrase_tok.i + 1]
        emit(rng[0], rng[1], spk, (phrase_tok.idx, last.idx + len(last.text)), None)
    # one row per span: the first cue found wins
    uniq: dict[tuple[int, int], dict] = {}
    for r in rows:
        uniq.setdefault((r["start"], r["end"]), r)
    return list(uniq.values()), events


def _mask_quotes(text: str, lo: int, hi: int, spans: list[QuoteSpan]) -> str:
    chars = list(text[lo:hi])
    for q in spans:
        for i in range(max(lo, q.outer_start), min(hi, q.outer_end)):
            chars[i - lo] = " "
    return "".join(chars)


def _trim_edges(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Drop a leading 'that'/comma and trailing commas/periods (not closing marks) of a content span."""
    while True:
        m = re.match(r"(?:that\b|[,;:–—-])\s*", text[lo:hi])
        if not m or m.end() == 0:
            break
        lo += m.end()
    while hi > lo and text[hi - 1] in ",;:.–—- ":
        hi -= 1
    return lo, hi


# --------------------------------------------------------------------------------------------
# clusters across documents

_NORM_DROP = re.compile(r"[^\w\s]")


def normalize_quote(text: str) -> str:
    """Lower case, quotation marks and punctuation removed, whitespace collapsed."""
    return " ".join(_NORM_DROP.sub(" ", text.lower()).split())


def cluster_id(norm_text: str) -> str:
    return hashlib.sha256(norm_text.encode()).hexdigest()[:16]


CLUSTER_SCHEMA = {
    "quote_cluster_id": pl.Utf8,
    "text": pl.Utf8,
    "speaker_entity_id": pl.Utf8,
    "speaker_name": pl.Utf8,
    "n_quotes": pl.Int64,
    "n_articles": pl.Int64,
    "n_outlets": pl.Int64,
    "doc_ids": pl.List(pl.Utf8),
}


def cluster_quotes(quotes: pl.DataFrame, documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(quotes with quote_cluster_id, quote_clusters).

    Quotes with the same normalised words are one cluster. A direct or partial quote of at least
    three words whose normalised text lies inside a longer one's (on word boundaries) by the same
    speaker joins that cluster. The cluster's text is its longest form; its id derives from the
    normalised longest form, so it is stable across runs.
    """
    rows = quotes.to_dicts()
    outlet = dict(zip(documents["doc_id"].to_list(), documents["outlet"].to_list(), strict=True)) if len(documents) else {}
    norms = [normalize_quote(r["text"]) for r in rows]
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_norm: dict[str, int] = {}
    for i, n in enumerate(norms):
        if n in by_norm:
            union(by_norm[n], i)
        else:
            by_norm[n] = i
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r["kind"] in ("direct", "partial") and r.get("speaker_entity_id"):
            by_speaker[r["speaker_entity_id"]].append(i)
    for idx in by_speaker.values():
        idx = sorted(idx, key=lambda i: -len(norms[i]))
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1 :]:
                nb = norms[b]
                if len(nb.split()) >= 3 and nb != norms[a] and f" {nb} " in f" {norms[a]} ":
                    union(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)
    cluster_of: dict[int, str] = {}
    out = []
    for members in groups.values():
        longest = max(members, key=lambda i: (len(norms[i]), len(rows[i]["text"]), rows[i]["text"]))
        cid = cluster_id(norms[longest])
        spk = Counter((rows[i].get("speaker_entity_id"), rows[i].get("speaker_name")) for i in members if rows[i].get("speaker_entity_id"))
        top = sorted(spk.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if spk else (None, None)
        docs = sorted({rows[i]["doc_id"] for i in members})
        outlets = {outlet.get(d) for d in docs if outlet.get(d)}
        for i in members:
            cluster_of[i] = cid
        out.append({
            "quote_cluster_id": cid,
            "text": rows[longest]["text"],
            "speaker_entity_id": top[0],
            "speaker_name": top[1],
            "n_quotes": len(members),
            "n_articles": len(docs),
            "n_outlets": len(outlets),
            "doc_ids": docs,
        })
    ids = [cluster_of[i] for i in range(len(rows))]
    quotes_out = quotes.with_columns(pl.Series("quote_cluster_id", ids, dtype=pl.Utf8))
    clusters = pl.DataFrame(out, schema=CLUSTER_SCHEMA) if out else pl.DataFrame(schema=CLUSTER_SCHEMA)
    clusters = clusters.unique("quote_cluster_id", keep="first").sort("quote_cluster_id")
    return quotes_out, clusters


__all__ = ["KINDS", "QUOTE_COLUMNS", "QuoteSpan", "cluster_quotes", "extract_quotes", "find_quote_spans", "mention_at", "normalize_quote", "quote_id"]
