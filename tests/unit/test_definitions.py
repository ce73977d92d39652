"""The Dagster code location loads, with every table an asset and every table checked."""

from dagster import AssetKey

from pipeline.definitions import defs
from schemas import TABLES


def _asset_keys():
    return {k for k in defs.resolve_asset_graph().get_all_asset_keys()}


def test_definitions_every_table_is_an_asset():
    assert _asset_keys() == {AssetKey(name) for name in TABLES} | {AssetKey("release")}


def test_definitions_every_table_has_a_blocking_schema_check():
    graph = defs.resolve_asset_graph()
    check_keys = graph.asset_check_keys
    for name in TABLES:
        key = next((k for k in check_keys if k.asset_key == AssetKey(name) and k.name == f"{name}_matches_schema"), None)
        assert key is not None, f"no schema check for {name}"
        assert graph.get_check_spec(key).blocking, f"schema check of {name} is not blocking"


def test_definitions_invariant_checks_present():
    names = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    assert {"every_input_file_accounted_for", "live_blog_entry_offsets_in_range", "every_document_parsed"} <= names


def test_definitions_assets_grouped_by_stage():
    graph = defs.resolve_asset_graph()
    for name, spec in TABLES.items():
        assert graph.get(AssetKey(name)).group_name == spec.stage, name


def test_definitions_build_job_builds_tables_but_cuts_no_release():
    build = defs.resolve_job_def("build")
    keys = build.asset_layer.selected_asset_keys
    assert AssetKey("release") not in keys
    assert {AssetKey(name) for name in TABLES} <= keys


def test_definitions_release_job_runs_only_the_release():
    release = defs.resolve_job_def("make_release")
    assert release.asset_layer.selected_asset_keys == {AssetKey("release")}


def test_definitions_validate_as_dagster_dev_loads_them():
    # what `dagster dev` does on load: catches name clashes between jobs, ops and assets
    from dagster import Definitions

    Definitions.validate_loadable(defs)
