"""Every readout table, declared once.

`TABLES` maps a table name to its `TableSpec`. The table name is the Dagster asset name, the
pandera schema name (`Config.name`) and the Parquet file name (`tables/<name>.parquet`).
"""

from schemas.base import TableSpec
from schemas.documents import Documents, LiveBlogEntries
from schemas.entities import Entities, EntityMentions
from schemas.events import EventClusters, Events
from schemas.ingestion import InputFiles, RawDocuments, RejectedDocuments
from schemas.parsing import ParsedDocuments
from schemas.provenance import Provenance
from schemas.quotes import QuoteClusters, Quotes

_SPECS: list[TableSpec] = [
    TableSpec(InputFiles, primary_key=("source_path",), stage="ingestion"),
    TableSpec(RawDocuments, primary_key=("doc_id",), stage="ingestion"),
    TableSpec(RejectedDocuments, primary_key=("source_path",), stage="ingestion"),
    TableSpec(Documents, primary_key=("doc_id",), foreign_keys=(("doc_id", "raw_documents", "doc_id"),), stage="cleaning"),
    TableSpec(LiveBlogEntries, primary_key=("doc_id", "entry_index"), foreign_keys=(("doc_id", "documents", "doc_id"),), stage="cleaning"),
    TableSpec(ParsedDocuments, primary_key=("doc_id",), foreign_keys=(("doc_id", "documents", "doc_id"),), stage="parsing"),
    TableSpec(Entities, primary_key=("entity_id",), stage="entities"),
    TableSpec(
        EntityMentions,
        primary_key=("mention_id",),
        foreign_keys=(("doc_id", "documents", "doc_id"), ("entity_id", "entities", "entity_id")),
        stage="entities",
    ),
    TableSpec(
        Quotes,
        primary_key=("quote_id",),
        foreign_keys=(
            ("doc_id", "documents", "doc_id"),
            ("speaker_entity_id", "entities", "entity_id"),
            ("relayed_by_entity_id", "entities", "entity_id"),
            ("parent_quote_id", "quotes", "quote_id"),
            ("quote_cluster_id", "quote_clusters", "quote_cluster_id"),
        ),
        stage="quotes",
    ),
    TableSpec(
        QuoteClusters,
        primary_key=("quote_cluster_id",),
        foreign_keys=(("speaker_entity_id", "entities", "entity_id"),),
        stage="quotes",
    ),
    TableSpec(
        Events,
        primary_key=("event_id",),
        foreign_keys=(("doc_id", "documents", "doc_id"), ("cluster_id", "event_clusters", "cluster_id")),
        stage="events",
    ),
    TableSpec(EventClusters, primary_key=("cluster_id",), stage="events"),
    TableSpec(Provenance, primary_key=("build_id",), stage="build"),
]

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in _SPECS}

__all__ = ["TABLES", "TableSpec"]
