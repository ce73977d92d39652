"""Dagster assets, one thin module per stage: load inputs, call pure functions, return a table.

Keep data-processing logic out of these modules: it lives in `pipeline/` where it is unit-tested
without Dagster.
"""
