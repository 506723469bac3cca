"""The audit context: the canonical frames restricted to the audit range, the workers with their
category and area class, the calendar, and the derived working-time frames every rule reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property

import polars as pl

from payaudit import worktime
from payaudit.calendar import calendar_frame
from payaudit.config import Settings
from payaudit.contracts import TABLES, contract
from payaudit.dataset import ISSUE_SCHEMA, Dataset
from payaudit.rulepack import RulePack, canonical_district_expr

_DTYPES = {
    "text": pl.String,
    "enum": pl.String,
    "district": pl.String,
    "time": pl.Datetime("us"),
    "date": pl.Date,
    "money": pl.Int64,
    "bool": pl.Boolean,
    "number": pl.Float64,
}
DEFAULT_AREA_CLASS = 1  # SPEC §4: a worker whose area is unknown is audited at class 1


def canonical_schema(table: str) -> dict[str, pl.DataType]:
    """The columns and types of a canonical frame (docs/architecture.md)."""
    columns = {c.name: _DTYPES[c.type] for c in contract(table).columns}
    return columns | {"_path": pl.String, "_row": pl.Int64}


@dataclass
class AuditContext:
    """What every rule reads. All frames are lazy; the derived ones are computed once.

    - `settings`, `pack` (the rule pack with the config's [params] applied).
    - `date_from`, `date_to`: the audit range (by default the days of the data).
    - `orders`: clean canonical orders accepted in the range, plus `date` (the accepted day);
      `platform` filled from settings.platform else "unknown"; `tip` and `cost` null → 0.
    - `shifts`, `payouts`, `weather`: canonical frames (shifts overlapping the range); an empty
      frame with the contract's columns when the table was not given.
    - `workers`: one row per worker seen in any table: worker_id, category (roster, else
      settings.default_category), platform, district (canonical when known), area_class (Int8,
      on date_to; roster district, else the most frequent order district, else
      settings.district; unknown → class 1), area_known, hours_system, part_time, monthly_wage,
      injury_insurance, occupational_injury, in_roster, _path, _row.
    - `calendar`: date, day_type, holiday_zh, holiday_en, bridging_known, review, over the range.
    - `factor`: 1 + allowance_ratio, an exact Fraction: working seconds = seconds × factor;
      `working_hours(seconds_expr)` the same in hours for display.
    - `issues`: the audit's data issues (D009 unknown area), dataset.ISSUE_SCHEMA.

    Derived (cached):
    - `merged`: worker_id, start, end: orders plus required shifts (all shifts on the online
      basis), merged per worker so no time counts twice (SPEC §3).
    - `daily`: one row per worker and day in the range with working time or an accepted order:
      worker_id, date, seconds (merged, before the allowance, Int64), hours (after it, Float64),
      pay_fen, cost_fen, tip_fen, orders, order_ids, day_type, holiday_zh, category,
      area_class (of that day), min_wage_hourly (CNY/h), min_wage_fen (fen/h, Int64).
    - `stretches`: worker_id, date (of its start), start, end, seconds, order_ids: continuous
      order stretches with the break in force (min_break_minutes).
    - `for_categories(frame, categories)`: the rows of a frame whose worker is in a category.
    """

    settings: Settings
    pack: RulePack
    date_from: date
    date_to: date
    orders: pl.LazyFrame
    shifts: pl.LazyFrame
    payouts: pl.LazyFrame
    weather: pl.LazyFrame
    workers: pl.LazyFrame
    calendar: pl.LazyFrame
    issues: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ISSUE_SCHEMA))

    @cached_property
    def factor(self) -> Fraction:
        return worktime.allowance_factor(self.settings.allowance_ratio)

    def working_hours(self, seconds: pl.Expr) -> pl.Expr:
        """Merged seconds as working hours (Float64, for display): × factor / 3600."""
        return seconds * self.factor.numerator / self.factor.denominator / 3600

    def for_categories(self, frame: pl.LazyFrame, categories: tuple[str, ...]) -> pl.LazyFrame:
        chosen = self.workers.filter(pl.col("category").is_in(categories)).select("worker_id")
        return frame.join(chosen, on="worker_id", how="semi")

    @cached_property
    def merged(self) -> pl.LazyFrame:
        counted = self.shifts
        if self.settings.basis != "online":
            counted = counted.filter(pl.col("kind") == "required")
        intervals = pl.concat(
            [
                self.orders.select("worker_id", start="accepted_at", end="completed_at"),
                counted.select("worker_id", "start", "end"),
            ]
        )
        return worktime.merge_intervals(intervals).collect().lazy()

    @cached_property
    def daily(self) -> pl.LazyFrame:
        time = (
            worktime.split_days(self.merged)
            .group_by("worker_id", "date")
            .agg(pl.col("seconds").sum())
            .filter(pl.col("date").is_between(self.date_from, self.date_to))
        )
        pay = self.orders.group_by("worker_id", "date").agg(
            pay_fen=pl.col("pay").sum(),
            cost_fen=pl.col("cost").sum(),
            tip_fen=pl.col("tip").sum(),
            orders=pl.len(),
            order_ids=pl.col("order_id").sort_by("accepted_at"),
        )
        worker = self.workers.select("worker_id", "category", "district")
        days = (
            time.join(pay, on=["worker_id", "date"], how="full", coalesce=True)
            .with_columns(
                pl.col("seconds", "pay_fen", "cost_fen", "tip_fen").fill_null(0),
                pl.col("orders").fill_null(0).cast(pl.Int64),
                pl.col("order_ids").fill_null([]),
                hours=self.working_hours(pl.col("seconds").fill_null(0)),
            )
            .join(self.calendar.select("date", "day_type", "holiday_zh"), on="date", how="left")
            .join(worker, on="worker_id", how="left")
        )
        days = self.pack.with_area_class(days, "district", "date").with_columns(
            pl.col("area_class").fill_null(DEFAULT_AREA_CLASS).cast(pl.Int8)
        )
        days = self.pack.asof(days, "min_wage_hourly", class_col="area_class")
        return (
            days.drop("district")
            .with_columns(min_wage_fen=(pl.col("min_wage_hourly") * 100).round().cast(pl.Int64))
            .sort("worker_id", "date")
            .collect()
            .lazy()
        )

    @cached_property
    def stretches(self) -> pl.LazyFrame:
        orders = self.pack.asof(self.orders, "min_break_minutes", out="min_break")
        min_break = (pl.col("min_break") * 60).round().cast(pl.Int64)
        return worktime.stretches(orders, min_break).collect().lazy()


def _frame(dataset: Dataset, table: str) -> pl.LazyFrame:
    given = dataset.frame(table)
    schema = canonical_schema(table)
    if given is None:
        return pl.LazyFrame(schema=schema)
    return given.lazy().with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in schema.items() if name not in given
    )


def data_span(dataset: Dataset) -> tuple[date, date]:
    """First and last day of the data: accepted days of orders and start days of shifts."""
    days = [
        _frame(dataset, "orders").select(d=pl.col("accepted_at").dt.date()),
        _frame(dataset, "shifts").select(d=pl.col("start").dt.date()),
    ]
    first, last = (
        pl.concat(days).select(first=pl.col("d").min(), last=pl.col("d").max()).collect().row(0)
    )
    today = date.today()
    return first or today, last or today


def _orders(dataset: Dataset, settings: Settings, start: date, end: date) -> pl.LazyFrame:
    return (
        _frame(dataset, "orders")
        .with_columns(date=pl.col("accepted_at").dt.date())
        .filter(pl.col("date").is_between(start, end))
        .with_columns(
            pl.col("platform").fill_null(settings.platform or "unknown"),
            pl.col("tip", "cost").fill_null(0),
        )
    )


def _shifts(dataset: Dataset, start: date, end: date) -> pl.LazyFrame:
    after = pl.col("end") > pl.lit(start).cast(pl.Datetime("us"))
    before = pl.col("start") < pl.lit(end + timedelta(days=1)).cast(pl.Datetime("us"))
    return _frame(dataset, "shifts").filter(after & before)


def _most_frequent(orders: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Per worker, the value of `column` on most orders (ties: the smallest value)."""
    counts = orders.drop_nulls(column).group_by("worker_id", column).agg(n=pl.len())
    return (
        counts.sort("worker_id", "n", column, descending=[False, True, False])
        .group_by("worker_id")
        .agg(pl.col(column).first())
    )


def _workers(
    dataset: Dataset, settings: Settings, pack: RulePack, orders: pl.LazyFrame, on: date
) -> pl.LazyFrame:
    ids = pl.concat(
        [_frame(dataset, t).select("worker_id") for t in TABLES if t in dataset.frames]
        or [pl.LazyFrame(schema={"worker_id": pl.String})]
    ).unique()
    roster = _frame(dataset, "workers").with_columns(in_roster=pl.lit(True))
    order_district = _most_frequent(
        orders.with_columns(district=canonical_district_expr("district")), "district"
    ).rename({"district": "order_district"})
    order_platform = _most_frequent(
        _frame(dataset, "orders").select("worker_id", "platform"), "platform"
    ).rename({"platform": "order_platform"})
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


def _area_issues(workers: pl.DataFrame, lang: str | None) -> pl.DataFrame:
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


def build_context(
    dataset: Dataset,
    settings: Settings,
    pack: RulePack,
    date_from: date | None = None,
    date_to: date | None = None,
) -> AuditContext:
    if date_from is None or date_to is None:
        first, last = data_span(dataset)
        date_from, date_to = date_from or first, date_to or last
    orders = _orders(dataset, settings, date_from, date_to)
    workers = _workers(dataset, settings, pack, orders, date_to).collect()
    return AuditContext(
        settings=settings,
        pack=pack,
        date_from=date_from,
        date_to=date_to,
        orders=orders,
        shifts=_shifts(dataset, date_from, date_to),
        payouts=_frame(dataset, "payouts"),
        weather=_frame(dataset, "weather"),
        workers=workers.lazy(),
        calendar=calendar_frame(date_from, date_to).lazy(),
        issues=_area_issues(workers, settings.lang),
    )


# Expressions the rules share.


def cny(fen: pl.Expr) -> pl.Expr:
    """Fen as CNY (Float64) for observed/threshold and evidence; exact amounts stay in fen."""
    return (fen / 100).round(2)


def evidence(**fields: pl.Expr | str) -> pl.Expr:
    """A finding's evidence: a JSON object of the given expressions, one per row."""
    return pl.struct(**fields).struct.json_encode()


def ratio_num(value: pl.Expr) -> pl.Expr:
    """A rule-pack ratio as an exact integer numerator over RATIO_DEN."""
    return (value * RATIO_DEN).round().cast(pl.Int64)


RATIO_DEN = 10_000  # rule-pack ratios (e.g. holiday_min_ratio) carry at most 4 decimals
