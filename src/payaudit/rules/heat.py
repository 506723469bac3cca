"""High temperature (HT001–HT003) with the weather table: the day's forecast maximum where the
worker works (the worker's district, art. 8 acts on the forecast) decides what
outdoor work is allowed. Platform work (riding, delivering, driving) is taken as outdoor work."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import AuditContext, evidence
from payaudit.rulepack import canonical_district_expr, is_city_expr
from payaudit.rules.base import Rule, register
from payaudit.rules.overtime import employee_days, hours, scaled

_US = pl.duration(microseconds=1)
_BASIS = "《防暑降温措施管理办法》（安监总安健〔2012〕89号）第八条; 渝人社发〔2021〕38号 第（七）项"
_DOC = """

    The day's temperature is the weather row of the worker's district (roster, else the most
    frequent order district) for that date, else the city-wide row (district empty, or a name
    of the whole city: 重庆市, 全市); several rows for one place and date: the highest. A day
    without weather is never a finding."""


def temperatures(ctx: AuditContext, days: pl.LazyFrame) -> pl.LazyFrame:
    """`days` (worker_id, date, …) with `temp`, the day's forecast maximum where the worker
    works; days without a temperature are dropped."""
    weather = ctx.weather.filter(pl.col("date").is_between(ctx.date_from, ctx.date_to))
    weather = weather.with_columns(  # 重庆市 or 全市 is the city-wide forecast
        district=pl.when(~is_city_expr("district")).then("district")
    )
    local = (
        weather.filter(pl.col("district").is_not_null())
        .group_by("date", district=canonical_district_expr("district"))
        .agg(local=pl.col("max_temp_c").max())
    )
    city = (
        weather.filter(pl.col("district").is_null())
        .group_by("date")
        .agg(city=pl.col("max_temp_c").max())
    )
    return (
        days.join(ctx.workers.select("worker_id", "district"), on="worker_id", how="left")
        .join(local, on=["date", "district"], how="left")
        .join(city, on="date", how="left")
        .with_columns(temp=pl.coalesce("local", "city"))
        .drop_nulls("temp")
    )


def midday_seconds(ctx: AuditContext, days: pl.LazyFrame) -> pl.LazyFrame:
    """`days` (worker_id, date, heat_midday_start, heat_midday_end, …) with `midday`, the merged
    working seconds of the day inside [heat_midday_start, heat_midday_end), the hottest hours."""
    window = days.select("worker_id", "date", "heat_midday_start", "heat_midday_end")
    # Only the intervals of workers with a hot day are cut into days: there are few of them.
    pieces = (
        ctx.merged.join(window.select("worker_id").unique(), on="worker_id", how="semi")
        .with_columns(
            date=pl.date_ranges(pl.col("start").dt.date(), (pl.col("end") - _US).dt.date())
        )
        .explode("date")
        .join(window, on=["worker_id", "date"])
    )
    day = pl.col("date").cast(pl.Datetime("us"))
    since = day + pl.duration(seconds=scaled(pl.col("heat_midday_start"), 1))
    until = day + pl.duration(seconds=scaled(pl.col("heat_midday_end"), 1))
    inside = pl.min_horizontal("end", until) - pl.max_horizontal("start", since)
    midday = pieces.group_by("worker_id", "date").agg(
        midday=inside.dt.total_seconds().clip(lower_bound=0).sum()
    )
    return days.join(midday, on=["worker_id", "date"], how="left").with_columns(
        pl.col("midday").fill_null(0)
    )


class _Heat(Rule):
    """A rule over the days with working time and a temperature in [params[0], params[1]):
    `days` gives the candidate days, `extend` adds what `breach` reads to those in the band."""

    bounded = True  # params[1] is the upper bound of the band
    severity = "error"
    unit = "°C"
    basis = _BASIS

    def days(self, ctx: AuditContext) -> pl.LazyFrame:
        days = ctx.for_categories(ctx.daily, self.categories).filter(pl.col("seconds") > 0)
        return days.with_columns(work=pl.col("seconds") * ctx.factor.numerator)

    def extend(self, ctx: AuditContext, days: pl.LazyFrame) -> pl.LazyFrame:
        return days

    def breach(self, ctx: AuditContext) -> pl.Expr:
        return pl.lit(True)

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        # The parameters are looked up once per day of the range, then joined by date: a chain
        # of look-ups over the worker-days would recompute the days for each.
        values = ctx.calendar.select("date")
        for name in self.params:
            values = ctx.pack.asof(values, name)
        days = temperatures(ctx, self.days(ctx)).join(values, on="date")
        low = pl.col(self.params[0])
        band = pl.col("temp") >= low
        if self.bounded:
            band &= pl.col("temp") < pl.col(self.params[1])
        found = ctx.with_order_ids(self.extend(ctx, days.filter(band)).filter(self.breach(ctx)))
        found = found.select(
            "worker_id",
            period_start="date",
            period_end="date",
            observed="temp",
            threshold=low,
            unit=pl.lit(self.unit),
            shortfall_fen=pl.lit(0),
            evidence=evidence(**self.evidence(ctx)),
            basis=pl.lit(self.basis),
        )
        # A day's temperature is one of the weather's: none in the band, no day in it, and
        # most of the year the days, the orders and the time need not be read at all.
        forecasts = ctx.weather.filter(pl.col("date").is_between(ctx.date_from, ctx.date_to))
        forecasts = forecasts.select("date", temp="max_temp_c").join(values, on="date")
        if forecasts.filter(band).head(1).collect().is_empty():
            return pl.LazyFrame(schema=found.collect_schema())
        return found

    def evidence(self, ctx: AuditContext) -> dict[str, pl.Expr]:
        return {"hours": hours(ctx, "work"), "order_ids": pl.col("order_ids")}


@register
class HeatStop(_Heat):
    """Work on a day whose forecast maximum is at least `heat_stop_temp_c` (40 °C), when
    outdoor work must stop for the day: any working time that day is a finding."""

    __doc__ = (__doc__ or "") + _DOC
    code = "HT001"
    name = {"en": "Work at 40 °C or above", "zh": "40℃以上高温作业"}
    categories = ("platform_managed", "employee")
    params = ("heat_stop_temp_c",)
    bounded = False
    message = {
        "zh": "{period_start}最高气温{observed}°C，达到{threshold}°C应停止室外作业，但仍安排工作",
        "en": "On {period_start} the forecast maximum was {observed} °C, at or above "
        "{threshold} °C when outdoor work must stop, yet there was work",
    }
    example = "W1 delivered orders on 2025-08-20 with a 41 °C forecast → observed 41, threshold 40."


@register
class HeatLimit(_Heat):
    """Work on a day at `heat_limit_temp_c` (37 °C) or more but below `heat_stop_temp_c`
    (40 °C) that is longer than `heat_max_hours` (6 h of working time), or that falls in the
    hottest hours `heat_midday_start`–`heat_midday_end` (12:00–15:00; any overlap, even a
    minute). Exactly 6 h outside the midday hours is no finding."""

    __doc__ = (__doc__ or "") + _DOC
    code = "HT002"
    name = {"en": "Work limits at 37–40 °C", "zh": "37–40℃高温作业时间"}
    categories = ("platform_managed", "employee")
    params = ("heat_limit_temp_c", "heat_stop_temp_c", "heat_max_hours", "heat_midday_start",
              "heat_midday_end")  # fmt: skip
    message = {
        "zh": "{period_start}最高气温{observed}°C（不低于{threshold}°C），工作超过规定时长或在"
        "午间高温时段工作",
        "en": "On {period_start} the forecast maximum was {observed} °C (at least {threshold} "
        "°C), and work exceeded the hours allowed or fell in the hottest midday hours",
    }
    example = (
        "W1 worked 7 h on 2025-08-12 (38 °C), 1 h of it from 13:00 → observed 38, threshold 37; "
        "evidence hours 7, midday_minutes 60."
    )

    def extend(self, ctx: AuditContext, days: pl.LazyFrame) -> pl.LazyFrame:
        return midday_seconds(ctx, days)

    def breach(self, ctx: AuditContext) -> pl.Expr:
        too_long = pl.col("work") > scaled(pl.col("heat_max_hours"), ctx.factor.denominator)
        return too_long | (pl.col("midday") > 0)

    def evidence(self, ctx: AuditContext) -> dict[str, pl.Expr]:
        return super().evidence(ctx) | {
            "max_hours": pl.col("heat_max_hours"),
            "midday_minutes": (pl.col("midday") / 60).round(2),
        }


@register
class HeatOvertime(_Heat):
    """Overtime by an employee on a day at `heat_no_overtime_temp_c` (35 °C) or more but below
    `heat_limit_temp_c` (37 °C). Overtime as OT001 for full-time employees on standard hours:
    working time beyond `standard_daily_hours` (8 h) on a working day (补班 included), any
    working time on a rest day or statutory holiday. Exactly 8 h on a working day is none."""

    __doc__ = (__doc__ or "") + _DOC
    code = "HT003"
    name = {"en": "Overtime at 35–37 °C", "zh": "35–37℃高温天加班"}
    categories = ("employee",)
    params = ("heat_no_overtime_temp_c", "heat_limit_temp_c", "standard_daily_hours")
    message = {
        "zh": "{period_start}最高气温{observed}°C（不低于{threshold}°C），仍安排加班",
        "en": "On {period_start} the forecast maximum was {observed} °C (at least {threshold} "
        "°C), yet the employee worked overtime",
    }
    example = (
        "W1 (employee, standard hours) worked 10 h on Monday 2025-07-14 (36 °C) → observed "
        "36, threshold 35; evidence overtime_hours 2."
    )

    def days(self, ctx: AuditContext) -> pl.LazyFrame:
        return employee_days(ctx, ("standard",))

    def breach(self, ctx: AuditContext) -> pl.Expr:
        return pl.col("over") > 0

    def evidence(self, ctx: AuditContext) -> dict[str, pl.Expr]:
        return super().evidence(ctx) | {"overtime_hours": hours(ctx, "over")}
