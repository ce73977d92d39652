"""Tables of the entities stage: canonical actors and their mentions in documents."""

import pandera.polars as pa
import polars as pl

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW")


class Entities(pa.DataFrameModel):
    """One canonical actor (person, organisation, place, group) across the whole dataset."""

    entity_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="First 16 hex characters of SHA-256 of '<type>:<name>': stable, independent of document order.")
    name: str = pa.Field(str_length={"min_value": 1}, description="Canonical full name: one spelling per actor whatever a document used (Kiev -> Kyiv, Yury -> Yuri); nationality groups are plural ('Russians').")
    type: str = pa.Field(isin=list(ENTITY_TYPES), description="spaCy-style label: PERSON, ORG, GPE, NORP, LOC, FAC, EVENT, WORK_OF_ART or LAW.")
    aliases: pl.List(pl.Utf8) = pa.Field(description="Every surface form seen in a mention, sorted.")
    country_code: str = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code of the country the actor is, lies in or belongs to (GPE, NORP, national institutions); null when none applies.")
    n_mentions: int = pa.Field(ge=1, description="Number of entity_mentions rows of this actor.")
    n_documents: int = pa.Field(ge=1, description="Number of distinct documents that mention this actor.")

    @pa.dataframe_check(description="n_documents <= n_mentions")
    def documents_not_above_mentions(cls, data) -> pl.LazyFrame:  # noqa: N805 (pandera's classmethod style)
        return data.lazyframe.select(pl.col("n_documents") <= pl.col("n_mentions"))

    class Config:
        name = "entities"
        description = "Canonical actors: people, organisations, places and groups, each with one id and one name across all documents."
        strict = True
        unique = ["name", "type"]


class EntityMentions(pa.DataFrameModel):
    """One name mention of a canonical actor in a document."""

    mention_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="First 16 hex characters of SHA-256 of '<doc_id>:<start>:<end>'.")
    doc_id: str = pa.Field(description="The documents.doc_id the mention occurs in.")
    entity_id: str = pa.Field(description="The entities.entity_id the mention refers to.")
    start: int = pa.Field(ge=0, description="Offset in documents.text where the mention begins.")
    end: int = pa.Field(ge=1, description="Offset in documents.text where the mention ends (exclusive); documents.text[start:end] == text.")
    text: str = pa.Field(str_length={"min_value": 1}, description="The mention as written: no title, possessive ending, leading 'the' or trailing punctuation.")
    type: str = pa.Field(isin=list(ENTITY_TYPES), description="Entity type of the mention (= entities.type).")
    role: str = pa.Field(nullable=True, description="Title or role written right before a person's name ('Kremlin aide', 'Russian President'); null when none.")

    @pa.dataframe_check(description="start < end")
    def start_before_end(cls, data) -> pl.LazyFrame:  # noqa: N805 (pandera's classmethod style)
        return data.lazyframe.select(pl.col("start") < pl.col("end"))

    class Config:
        name = "entity_mentions"
        description = "Name mentions of canonical actors, with character offsets into documents.text."
        strict = True
        unique = ["doc_id", "start", "end"]
