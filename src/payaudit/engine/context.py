"""The audit context: the canonical frames restricted to the audit range, the workers with their
category and area class, the calendar, and the derived working-time frames every rule reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

import polars as pl

from payaudit.calendar import calendar_frame
from payaudit.config import Settings
from payaudit.dataset import ISSUE_SCHEMA, Dataset
from payaudit.engine import worktime
from payaudit.engine.inputs import DEFAULT_AREA_CLASS, area_issues, resolve_workers, table_frame
from payaudit.rulepack import RulePack
from payaudit.schema import FIRST_DAY, LAST_DAY

_US = pl.duration(microseconds=1)


class WorkingTime(NamedTuple):
    """The frames derived from one sort of the orders and the online time (collected)."""

    merged: pl.LazyFrame
    stretches: pl.LazyFrame
    members: pl.Series  # the orders' row numbers in `orders`, in stretch order
    orders: pl.DataFrame  # the orders `members` numbers


# An order's money: pay, and the parts of it (allowance, cost) or beside it (tip) that an
# empty cell leaves at 0. Each splits across midnight with the order's time.
MONEY = ("pay", "allowance", "cost", "tip")


@dataclass
class AuditContext:
    """What every rule reads. All frames are lazy; the derived ones are computed once.

    - `settings`, `pack` (the rule pack with the config's [params] applied).
    - `date_from`, `date_to`: the audit range: --from/--to, by default the whole periods
      (--period: day, ISO week, calendar month) that hold the data (orders, shifts, payouts).
    - `orders`: clean canonical orders with time in the range (accepted in it, or before
      --from and running into it), plus `date` (the accepted day);
      `platform` filled from settings.platform else "unknown"; `allowance`, `cost`, `tip`
      null → 0.
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
      basis), merged per worker so no time counts twice (docs/semantics.md).
    - `daily`: one row per worker and day in the range with working time or an accepted order:
      worker_id, date, seconds (merged, before the allowance, Int64), hours (after it, Float64),
      pay_fen, allowance_fen, cost_fen, tip_fen (an order crossing midnight split by its
      time, see worktime.split_money), accepted_pay_fen (the whole pay of the orders accepted
      that day), orders (accepted that day), day_type, holiday_zh, category,
      area_class (of that day), min_wage_hourly (CNY/h), min_wage_fen (fen/h, Int64).
    - `stretches`: worker_id, date (of its start), start, end, seconds: continuous order
      stretches with the break in force (min_break_minutes), and where their orders are
      (`_first`, `_count`); `with_stretch_orders(found)` adds the order ids of the few that
      become findings.
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
    _shared: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def shared(self, key: tuple, plan: Callable[[], pl.LazyFrame]) -> pl.LazyFrame:
        """plan(), collected once for every rule that asks for `key` in this context."""
        if key not in self._shared:
            self._shared[key] = plan().collect()
        return self._shared[key].lazy()

    @cached_property
    def factor(self) -> Fraction:
        return worktime.allowance_factor(self.settings.allowance_ratio)

    def working_hours(self, seconds: pl.Expr) -> pl.Expr:
        """Merged seconds as working hours (Float64, for display): × factor / 3600."""
        return seconds * self.factor.numerator / self.factor.denominator / 3600

    def for_categories(self, frame: pl.LazyFrame, categories: tuple[str, ...]) -> pl.LazyFrame:
        chosen = self.workers.filter(pl.col("category").is_in(categories)).select("worker_id")
        return frame.join(chosen, on="worker_id", how="semi")

    def from_days_in_force(self, since: dict[str, date]) -> AuditContext:
        """This context for a rule that applies to each category from a day (`since`:
        category → day): each worker's days, orders, shifts, stretches and payouts before the
        day of the worker's category are left out, so that nothing comes from them, and the
        range starts no earlier than the earliest such day. The derived frames are filtered,
        not computed again: a day's time and pay are its own, whatever came before."""
        if all(day <= self.date_from for day in since.values()):
            return self
        start = pl.col("category").replace_strict(since, default=None, return_dtype=pl.Date)
        starts = self.workers.select("worker_id", _since=start)

        def kept(frame: pl.LazyFrame, day: pl.Expr) -> pl.LazyFrame:
            after = pl.col("_since").is_null() | (day >= pl.col("_since"))
            return frame.join(starts, on="worker_id", how="left").filter(after).drop("_since")

        ctx = dataclasses.replace(
            self,
            date_from=max(self.date_from, min(since.values())),
            orders=kept(self.orders, pl.col("date")),
            shifts=kept(self.shifts, (pl.col("end") - _US).dt.date()),
            payouts=kept(self.payouts, pl.col("period_end")),
        )
        stretches = kept(self.stretches, pl.col("date"))
        ctx.__dict__.update(
            _working_time=self._working_time._replace(stretches=stretches),
            daily=kept(self.daily, pl.col("date")),
        )
        return ctx

    @property
    def merged(self) -> pl.LazyFrame:
        return self._working_time.merged

    @cached_property
    def daily(self) -> pl.LazyFrame:
        time = worktime.daily_seconds(self.merged).filter(
            pl.col("date").is_between(self.date_from, self.date_to)
        )
        pay = (
            worktime.split_money(
                self.orders.with_columns(accepted_pay="pay"), MONEY, ("accepted_pay",)
            )
            .filter(pl.col("date").is_between(self.date_from, self.date_to))
            .group_by("worker_id", "date")
            .agg(
                **{f"{m}_fen": pl.col(m).sum() for m in (*MONEY, "accepted_pay")},
                orders=pl.col("accepted").sum(),
            )
        )
        worker = self.workers.select("worker_id", "category", "district")
        days = (
            time.join(pay, on=["worker_id", "date"], how="full", coalesce=True)
            .with_columns(
                pl.col("seconds", "accepted_pay_fen", *(f"{m}_fen" for m in MONEY)).fill_null(0),
                pl.col("orders").fill_null(0).cast(pl.Int64),
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
            .collect()
            .lazy()
        )

    def with_order_ids(self, days: pl.LazyFrame) -> pl.LazyFrame:
        """`days` (a few worker-days, e.g. findings) with `order_ids`: the orders whose time
        falls on each (accepted that day or crossing midnight into it), in order of acceptance.
        Listing them for every worker-day would copy every order id."""
        keys = days.select("worker_id", _day="date").unique()
        last = (pl.col("completed_at") - _US).dt.date()
        # By worker and day for the orders accepted on the day; only the few crossing
        # midnight are matched by worker alone (by worker, every key would meet every order).
        accepted = self.orders.join(
            keys, left_on=["worker_id", "date"], right_on=["worker_id", "_day"]
        )
        crossing = (
            self.orders.filter(last > pl.col("date"))
            .join(keys, on="worker_id")
            .filter((pl.col("_day") > pl.col("date")) & (pl.col("_day") <= last))
        )
        ids = (
            pl.concat([accepted.with_columns(_day="date"), crossing], how="diagonal_relaxed")
            .group_by("worker_id", date="_day")
            .agg(order_ids=pl.col("order_id").sort_by("accepted_at", "order_id"))
        )
        return days.join(ids, on=["worker_id", "date"], how="left", maintain_order="left")

    @property
    def stretches(self) -> pl.LazyFrame:
        return self._working_time.stretches

    def with_stretch_orders(self, stretches: pl.LazyFrame) -> pl.LazyFrame:
        """Stretches of `stretches` (a few, e.g. findings) with `order_ids` (worktime's
        stretch_orders): the orders of each, in order of acceptance."""
        found = self._working_time
        return worktime.stretch_orders(stretches, found.members, found.orders)

    @cached_property
    def _working_time(self) -> WorkingTime:
        """`merged`, `stretches`, and what `with_stretch_orders` reads, from one sort of the
        orders and the online time."""
        counted = self.shifts
        if self.settings.basis != "online":
            counted = counted.filter(pl.col("kind") == "required")
        days = self.pack.asof(self.calendar.select("date"), "min_break_minutes", out="minutes")
        breaks = days.collect().get_column("minutes").unique()
        table = self.orders.collect()  # the collected orders themselves: no copy
        orders, minutes = table.lazy().with_row_index("_i"), pl.lit(breaks[0])
        if breaks.len() > 1:  # the break changes in the range: looked up per order
            orders = self.pack.asof(orders, "min_break_minutes", out="min_break")
            minutes = pl.col("min_break")
        min_break = (minutes * 60).round().cast(pl.Int64)
        found = worktime.merged_and_stretches(orders, counted, min_break)
        merged, stretches, members = pl.collect_all(found)
        # a stretch belongs to the day it starts: one from the day before --from is not ours
        stretches = stretches.lazy().filter(pl.col("date") >= self.date_from)
        return WorkingTime(merged.lazy(), stretches, members.to_series(), table)


def audit_range(span: tuple, asked: tuple, period: str) -> tuple[date, date]:
    """The range asked (--from, --to), each end not given that of the whole periods
    (--period) around the data's span (its first and last day, None when there is no data:
    today)."""
    today = date.today()
    start, end = whole_periods(span[0] or today, span[1] or today, period)
    return asked[0] or start, asked[1] or end


def last_day(start: str, end: str) -> pl.Expr:
    """The last day an interval [start, end) has time on (an order or a shift crossing
    midnight reaches into the next day; one ending at 00:00 does not; an empty one has its
    start day)."""
    return pl.max_horizontal(pl.col(start).dt.date(), (pl.col(end) - _US).dt.date())


# The first and last day of each row, per table: the data's span is theirs (data_days).
DAY_SPANS = {
    "orders": (pl.col("accepted_at").dt.date(), last_day("accepted_at", "completed_at")),
    "shifts": (pl.col("start").dt.date(), last_day("start", "end")),
    "payouts": (pl.col("period_start"), pl.col("period_end")),
}


def spans_of(frame: pl.LazyFrame, table: str) -> pl.LazyFrame:
    """The first and last day (`first`, `last`) of each row of a table (DAY_SPANS); none for
    a table without days (workers, weather)."""
    if table not in DAY_SPANS:
        return pl.LazyFrame(schema={"first": pl.Date, "last": pl.Date})
    first, last = DAY_SPANS[table]
    return frame.select(first=first.cast(pl.Date), last=last.cast(pl.Date))


def days_of(frame: pl.LazyFrame, table: str) -> pl.LazyFrame:
    """The first and last days (`d`) of a table's rows (DAY_SPANS)."""
    spans = spans_of(frame, table)
    return pl.concat([spans.select(d="first"), spans.select(d="last")])


def plausible_days(frame: pl.LazyFrame, table: str) -> pl.LazyFrame:
    """days_of the rows of a canonical frame not yet validated that validation could keep
    (naming a worker, in the years it accepts): the span before validation, which the exact
    one of the clean rows then confirms."""
    days = days_of(frame.filter(pl.col("worker_id").is_not_null()), table)
    return days.filter(pl.col("d").is_between(FIRST_DAY, LAST_DAY))


def first_and_last(days: list[pl.LazyFrame]) -> tuple[date | None, date | None]:
    """The first and last of the days (`d`) of the frames, None when there is none."""
    days = pl.concat([pl.LazyFrame(schema={"d": pl.Date}), *days])
    return days.select(first=pl.col("d").min(), last=pl.col("d").max()).collect().row(0)


def overall_span(spans: list[tuple]) -> tuple[date | None, date | None]:
    """The first and last day over several (first, last) spans, either None where none has
    one (a part without data)."""
    return (
        min((first for first, _ in spans if first), default=None),
        max((last for _, last in spans if last), default=None),
    )


def data_days(dataset: Dataset) -> tuple[date | None, date | None]:
    """First and last day of the data: the days the orders' and shifts' time falls on and the
    payout periods; None when there is none."""
    return first_and_last([days_of(table_frame(dataset, t), t) for t in DAY_SPANS])


def whole_periods(first: date, last: date, period: str) -> tuple[date, date]:
    """The first day of the period (day, ISO week, calendar month) holding `first` and the
    last day of the one holding `last`: a default range reports whole periods."""
    every = {"day": "1d", "week": "1w", "month": "1mo"}[period]
    start = pl.lit(first).dt.truncate(every)
    end = pl.lit(last).dt.truncate(every).dt.offset_by(every) - pl.duration(days=1)
    return pl.select(start=start, end=end).row(0)


def _orders(dataset: Dataset, settings: Settings, start: date, end: date) -> pl.LazyFrame:
    return (
        table_frame(dataset, "orders")
        .with_columns(date=pl.col("accepted_at").dt.date())
        # every order with time in the range: one accepted the day before --from that runs
        # past midnight brings its share of that day (§ the midnight split)
        .filter((pl.col("date") <= end) & (last_day("accepted_at", "completed_at") >= start))
        .with_columns(
            pl.col("platform").fill_null(settings.platform or "unknown"),
            pl.col(*MONEY[1:]).fill_null(0),
        )
    )


def _shifts(dataset: Dataset, start: date, end: date) -> pl.LazyFrame:
    after = pl.col("end") > pl.lit(start).cast(pl.Datetime("us"))
    before = pl.col("start") < pl.lit(end + timedelta(days=1)).cast(pl.Datetime("us"))
    return table_frame(dataset, "shifts").filter(after & before)


def build_context(
    dataset: Dataset,
    settings: Settings,
    pack: RulePack,
    date_from: date | None = None,
    date_to: date | None = None,
) -> AuditContext:
    if date_from is None or date_to is None:
        asked = date_from, date_to
        date_from, date_to = audit_range(data_days(dataset), asked, settings.period)
    # collected once: the working time, the daily figures, the rules and the locator each
    # read it, and would each compute its days and filter 10M orders again
    orders = _orders(dataset, settings, date_from, date_to).collect()
    workers = resolve_workers(dataset, settings, pack, date_to).collect()
    return AuditContext(
        settings=settings,
        pack=pack,
        date_from=date_from,
        date_to=date_to,
        orders=orders.lazy(),
        shifts=_shifts(dataset, date_from, date_to),
        payouts=table_frame(dataset, "payouts"),
        weather=table_frame(dataset, "weather"),
        workers=workers.lazy(),
        calendar=calendar_frame(date_from, date_to).lazy(),
        issues=area_issues(workers, settings.lang),
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


# A day's pay that counts toward the hourly minimum: allowances, costs and tips do not.
ELIGIBLE = pl.col("pay_fen") - pl.col("allowance_fen") - pl.col("cost_fen")

RATIO_DEN = 10_000  # rule-pack ratios (e.g. holiday_min_ratio) carry at most 4 decimals
