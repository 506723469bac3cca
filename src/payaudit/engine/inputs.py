"""The inputs as the audit sees them: canonical frames with every contract column, and the
workers resolved from every table (category, platform, district, area class; docs/semantics.md)."""

from __future__ import annotations

from datetime import date

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import TABLES, contract
from payaudit.dataset import ISSUE_SCHEMA, Dataset
from payaudit.rulepack import RulePack, canonical_district_expr
from payaudit.schema import DTYPES

DEFAULT_AREA_CLASS = 1  # a worker whose area is unknown is audited at class 1


def canonical_schema(table: str) -> dict[str, pl.DataType]:
    """The columns and types of a canonical frame (docs/architecture.md)."""
    columns = {c.name: DTYPES[c.type] for c in contract(table).columns}
    return columns | {"_path": pl.String, "_row": pl.Int64}


def table_frame(dataset: Dataset, table: str) -> pl.LazyFrame:
    """A table's canonical frame with every contract column; empty when it was not given."""
    given = dataset.frame(table)
    schema = canonical_schema(table)
    if given is None:
        return pl.LazyFrame(schema=schema)
    return given.lazy().with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in schema.items() if name not in given
    )


def _most_frequent(orders: pl.LazyFrame, value: pl.Expr, lacking: pl.LazyFrame) -> pl.LazyFrame:
    """Per worker in `lacking`, the `value` (a named expression over orders) of most of its
    orders (ties: the smallest). Only workers whose roster row lacks the value are counted:
    grouping every order by worker and value costs seconds on 10M orders."""
    column = value.meta.output_name()
    if lacking.head(1).collect().is_empty():  # a full roster: no order need be read
        return pl.LazyFrame(schema={"worker_id": pl.String, f"order_{column}": pl.String})
    counts = (
        orders.join(lacking, on="worker_id", how="semi")
        .select("worker_id", value)
        .drop_nulls(column)
        .group_by("worker_id", column)
        .agg(n=pl.len())
    )
    return (
        counts.sort("worker_id", "n", column, descending=[False, True, False])
        .group_by("worker_id")
        .agg(pl.col(column).first().alias(f"order_{column}"))
    )


def resolve_workers(dataset: Dataset, settings: Settings, pack: RulePack, on: date) -> pl.LazyFrame:
    """One row per worker in any table that names workers (weather does not): the roster's
    columns, category (default settings.default_category), platform (roster, else the most
    frequent order platform, else settings.platform, else "unknown"), district (canonical:
    the roster's, else the most frequent of the worker's orders, else settings.district),
    area_class on `on` (unknown → 1), area_known, given_district (as written), in_roster."""
    ids = (
        pl.concat(
            table_frame(dataset, t).select("worker_id").unique()
            for t in TABLES
            if "worker_id" in contract(t).names
        )
        .unique()
        .collect()
        .lazy()
    )
    roster = table_frame(dataset, "workers").with_columns(in_roster=pl.lit(True))
    orders = table_frame(dataset, "orders")
    listed = roster.select("worker_id", "platform", district=canonical_district_expr("district"))
    order_district = _most_frequent(
        orders,
        canonical_district_expr("district").alias("district"),
        ids.join(listed.drop_nulls("district"), on="worker_id", how="anti"),
    )
    order_platform = _most_frequent(
        orders,
        pl.col("platform"),
        ids.join(listed.drop_nulls("platform"), on="worker_id", how="anti"),
    )
    known = pl.coalesce(
        canonical_district_expr("district"),
        "order_district",
        canonical_district_expr(pl.lit(settings.district, pl.String)),
    )
    workers = (
        ids.join(roster, on="worker_id", how="left")
        .join(order_district, on="worker_id", how="left")
        .join(order_platform, on="worker_id", how="left")
        .with_columns(
            category=pl.col("category").fill_null(settings.default_category),
            platform=pl.coalesce(
                "platform", "order_platform", pl.lit(settings.platform or "unknown")
            ),
            in_roster=pl.col("in_roster").fill_null(False),
            given_district=pl.coalesce("district", pl.lit(settings.district, pl.String)),
            district=pl.coalesce(known, "district", pl.lit(settings.district, pl.String)),
            _on=pl.lit(on),
        )
    )
    return (
        pack.with_area_class(workers, "district", "_on")
        .with_columns(
            area_known=pl.col("area_class").is_not_null(),
            area_class=pl.col("area_class").fill_null(DEFAULT_AREA_CLASS).cast(pl.Int8),
        )
        .drop("_on", "order_district", "order_platform")
        .sort("worker_id")
    )


def area_issues(workers: pl.DataFrame, lang: str | None) -> pl.DataFrame:
    """D009 for each in-scope worker whose area class is unknown: audited at class 1."""
    text = {
        "zh": "劳动者 {} 的工作区县未知，按一类区域审计",
        "en": "The district of worker {} is unknown; audited at area class 1",
    }["zh" if lang == "zh" else "en"]
    prefix, suffix = text.split("{}")
    unknown = workers.filter(~pl.col("area_known") & (pl.col("category") != "independent"))
    return unknown.select(
        code=pl.lit("D009"),
        severity=pl.lit("warning"),
        table=pl.when("in_roster").then(pl.lit("workers")).otherwise(pl.lit("orders")),
        path=pl.col("_path"),
        row=pl.col("_row"),
        column=pl.lit("district"),
        value=pl.col("given_district"),
        message=pl.concat_str(pl.lit(prefix), "worker_id", pl.lit(suffix)),
    ).cast(ISSUE_SCHEMA)
