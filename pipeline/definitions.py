"""The Dagster code location: every readout asset, its checks, and the shared resources.

`dagster dev -w workspace.yaml` loads `defs` from here; `readout build` runs the same assets
in-process through `build_definitions(settings)`.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from assets import cleaning, entities, events, ingestion, parsing, provenance, quotes, release
from pipeline import checks
from pipeline.io_manager import ParquetTableIOManager
from pipeline.settings import ReadoutSettings, settings_from_env

ASSETS = [
    ingestion.ingestion,
    cleaning.cleaning,
    parsing.parsed_documents,
    entities.entity_stage,
    quotes.quote_stage,
    events.event_stage,
    provenance.provenance,
    release.release,
]

INVARIANT_CHECKS = [
    checks.invariant_check(
        "documents",
        "every_input_file_accounted_for",
        "Every file under the input folder is in exactly one of documents and rejected_documents.",
        ("input_files", "raw_documents", "rejected_documents", "documents"),
        checks.every_input_accounted_for,
    ),
    checks.invariant_check(
        "live_blog_entries",
        "live_blog_entry_offsets_in_range",
        "Every live-blog entry's [start, end) lies inside its document's text.",
        ("live_blog_entries", "documents"),
        checks.spans_within_text,
    ),
    checks.invariant_check(
        "parsed_documents",
        "every_document_parsed",
        "Every document has exactly one parse and every parse belongs to a document.",
        ("parsed_documents", "documents"),
        lambda parsed, docs: []
        if sorted(parsed["doc_id"]) == sorted(docs["doc_id"])
        else ["parsed_documents.doc_id differs from documents.doc_id"],
    ),
]

INVARIANT_CHECKS += [
    checks.invariant_check(
        "entity_mentions",
        "entity_mention_offsets_slice_exactly",
        "documents.text[start:end] == entity_mentions.text for every mention.",
        ("entity_mentions", "documents"),
        checks.spans_slice_exactly,
    ),
    checks.invariant_check(
        "entities",
        "every_entity_has_a_mention",
        "Every canonical actor is mentioned at least once, and n_mentions counts its mentions.",
        ("entities", "entity_mentions"),
        checks.every_entity_mentioned,
    ),
]

INVARIANT_CHECKS += [
    checks.invariant_check(
        "quotes",
        "quote_offsets_slice_exactly",
        "documents.text[start:end] == quotes.text for every quote.",
        ("quotes", "documents"),
        checks.spans_slice_exactly,
    ),
    checks.invariant_check(
        "quotes",
        "direct_quotes_between_marks",
        "Every direct, partial and scare quote is enclosed by quotation marks in documents.text.",
        ("quotes", "documents"),
        checks.quotes_between_marks,
    ),
    checks.invariant_check(
        "events",
        "event_evidence_slices_exactly",
        "documents.text[evidence_start:evidence_end] == events.evidence_text for every event.",
        ("events", "documents"),
        lambda ev, docs: checks.spans_slice_exactly(ev, docs, "evidence_start", "evidence_end", "evidence_text"),
    ),
    checks.invariant_check(
        "events",
        "event_actors_exist",
        "Every source, target, location and reporter entity id of an event exists in entities.",
        ("events", "entities"),
        checks.event_actors_exist,
    ),
]

INVARIANT_CHECKS += [
    checks.invariant_check(
        "event_clusters",
        "every_event_in_one_cluster",
        "Every event belongs to exactly one cluster, and each cluster's event_ids and n_events are its member events.",
        ("events", "event_clusters"),
        lambda ev, cl: checks.cluster_members_agree(ev, cl, "event_id", "cluster_id", "n_events", "event_ids"),
    ),
    checks.invariant_check(
        "quote_clusters",
        "every_quote_in_one_cluster",
        "Every quote belongs to exactly one cluster, and each cluster's n_quotes counts its member quotes.",
        ("quotes", "quote_clusters"),
        lambda q, cl: checks.cluster_members_agree(q, cl, "quote_id", "quote_cluster_id", "n_quotes"),
    ),
]

ASSET_CHECKS = checks.schema_checks() + checks.foreign_key_checks() + INVARIANT_CHECKS

build_job = define_asset_job(
    "build",
    selection=AssetSelection.all() - AssetSelection.assets("release"),
    description="Build every table from the input folder (same as `readout build`).",
)
release_job = define_asset_job(
    "make_release",
    selection=AssetSelection.assets("release"),
    description="Freeze the built tables into the next immutable, verified release (same as `readout release`).",
)


def build_definitions(settings: ReadoutSettings) -> Definitions:
    """Definitions wired to one set of build settings (input folder, output folder, model)."""
    return Definitions(
        assets=ASSETS,
        asset_checks=ASSET_CHECKS,
        jobs=[build_job, release_job],
        # One process for the whole run: every step otherwise re-imports spaCy and reloads the model
        # (a seeds build in the UI took 127 s with the multiprocess executor). Swap in a
        # multiprocess/k8s executor when stages run as per-document partitions on a cluster.
        executor=in_process_executor,
        resources={"readout": settings, "io_manager": ParquetTableIOManager(settings=settings)},
    )


defs = build_definitions(settings_from_env())
