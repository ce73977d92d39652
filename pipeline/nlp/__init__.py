"""spaCy stages: the shared parse and the entity, quote and event extractors."""

from spacy.tokens import Doc

_TEXT_KEY = "readout.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc.

    spaCy rebuilds `Doc.text` from every token on each access; the extractors read it thousands of
    times per document, which made them quadratic in document length.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
