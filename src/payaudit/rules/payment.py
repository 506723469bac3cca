"""Payment rules over the payouts table (PY001–PY005, PY007; PY006 is in deduction.py), and the
payout-period helpers that the employee wage and overtime rules share."""

from __future__ import annotations

from datetime import date

import polars as pl

from payaudit.engine.context import AuditContext, cny, evidence
from payaudit.rules.base import Rule, register

MONEY = (
    "gross", "net", "overtime_pay", "allowances", "deposit", "penalty",
    "injury_insurance_fee", "equipment", "social_insurance", "tax", "other_deduction",
)  # fmt: skip
PAID = ("employee", "platform_managed")
WAGE_BASIS = "《工资支付暂行规定》（劳部发〔1994〕489号）"


_PERIOD = ["worker_id", "period_start", "period_end"]


def _one_per_period(pays: pl.LazyFrame) -> pl.LazyFrame:
    """The payouts of one worker for one period as one: a period paid in parts (a supplement,
    a separate overtime payout) is judged on its whole pay, and gives one finding per rule
    (its id names rule, worker and period). Amounts add up; paid when the last part was paid
    (unpaid while any part is); due on the earliest due date; days_worked the largest stated;
    the rest (payout_id, source row) that of the first part, and `payout_ids` lists them all."""
    first = pl.all().exclude(*_PERIOD, *MONEY, "paid_at", "due_date", "days_worked")
    return pays.group_by(_PERIOD).agg(
        first.sort_by("_payout").first(),
        pl.col(MONEY).sum(),
        paid_at=pl.when(pl.col("paid_at").is_null().any())
        .then(None)
        .otherwise(pl.col("paid_at").max()),
        due_date=pl.col("due_date").min(),
        days_worked=pl.col("days_worked").max(),
        payout_ids=pl.col("payout_id").sort_by("_payout"),
    )


def payouts(ctx: AuditContext, categories: tuple[str, ...]) -> pl.LazyFrame:
    """The payouts of workers in `categories` whose period overlaps the audited range (by
    default the range covers every payout), one per worker and period (_one_per_period), an
    amount left empty counting as 0 (nothing of that kind on the payslip), each with a key
    `_payout`, the worker's part_time (unknown → full-time), hours_system and monthly_wage,
    and `eligible`: gross − overtime_pay − allowances, the pay that counts toward the
    minimum."""
    worker = ctx.workers.select(
        "worker_id", "hours_system", "monthly_wage", pl.col("part_time").fill_null(False)
    )
    overlaps = (pl.col("period_end") >= ctx.date_from) & (pl.col("period_start") <= ctx.date_to)
    # The key is numbered on the payouts table itself, before any join: a join need not keep
    # row order, and a rule may evaluate this frame twice, so numbering after it could pair
    # one payout's figures with another's.
    pays = (
        ctx.for_categories(ctx.payouts.with_row_index("_payout"), categories)
        .filter(overlaps)
        .with_columns(pl.col(MONEY).fill_null(0))
    )
    return (
        _one_per_period(pays)
        .with_columns(eligible=pl.col("gross") - pl.col("overtime_pay") - pl.col("allowances"))
        .join(worker, on="worker_id", how="left")
    )


def period_days(days: pl.LazyFrame, pays: pl.LazyFrame) -> pl.LazyFrame:
    """The rows of `days` (ctx.daily or a frame derived from it) with working time in each
    payout's period, with the payout's `_payout`."""
    keys = pays.select("_payout", "worker_id", "period_start", "period_end")
    return (
        days.filter(pl.col("seconds") > 0)
        .join(keys, on="worker_id")
        .filter(pl.col("date").is_between("period_start", "period_end"))
    )


def select_findings(
    rule: type[Rule],
    found: pl.LazyFrame,
    observed: pl.Expr,
    threshold: pl.Expr,
    shortfall: pl.Expr | int = 0,
    **more: pl.Expr | str,
) -> pl.LazyFrame:
    """Findings from rows holding worker_id, period_start and period_end; `more` is evidence."""
    return found.select(
        "worker_id",
        "period_start",
        "period_end",
        observed=observed,
        threshold=threshold,
        unit=pl.lit(rule.unit),
        shortfall_fen=pl.lit(shortfall) if isinstance(shortfall, int) else shortfall,
        evidence=evidence(**more),
        basis=pl.lit(rule.basis),
    )


def payout_findings(
    rule: type[Rule],
    found: pl.LazyFrame,
    observed: pl.Expr,
    threshold: pl.Expr,
    shortfall: pl.Expr | int = 0,
    **more: pl.Expr | str,
) -> pl.LazyFrame:
    """One finding per payout period, with its payout id (the first part's), source row and
    every part's id (`payout_ids`) as evidence."""
    return select_findings(
        rule, found, observed, threshold, shortfall, payout_id="payout_id", row="_row",
        payout_ids="payout_ids", **more,
    )  # fmt: skip


@register
class LatePay(Rule):
    """Pay made after it was due, or not made at all.

    For each payout of an employee or platform-managed worker: due on `due_date` when the
    payouts give one, else `pay_due_days` (30, our default reading of "monthly") after the end
    of the period. Late when the day of `paid_at` is after the due day (paid on the due day is
    on time); observed = days late. Unpaid when `paid_at` is empty and the due day is before the
    day of the audit run; observed = days overdue as of that day. No money is owed beyond the
    pay itself, so the shortfall is 0.
    """

    code = "PY001"
    name = {"en": "Late or missing pay", "zh": "拖欠工资报酬"}
    severity = "error"
    categories = PAID
    params = ("pay_due_days",)
    unit = "days"
    basis = f"《劳动法》第五十条; {WAGE_BASIS}第七条; 渝人社发〔2021〕38号 第（五）项"
    message = {
        "zh": "{period_start}至{period_end}的报酬逾期{observed}天支付或未支付",
        "en": "Pay for {period_start} to {period_end} was {observed} days late or is unpaid",
    }
    example = (
        "W1, payout for 2025-01-01 to 2025-01-31 due 2025-02-10 (due_date) and paid 2025-02-15 "
        "→ observed 5 days, threshold 0."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = ctx.pack.asof(
            payouts(ctx, self.categories), "pay_due_days", date_col="period_end", out="due_days"
        )
        due = pl.coalesce(
            "due_date", pl.col("period_end") + pl.duration(days=pl.col("due_days").cast(pl.Int64))
        )
        paid = pl.coalesce(pl.col("paid_at").dt.date(), pl.lit(date.today()))
        late = pays.with_columns(due=due, paid=paid).filter(pl.col("paid") > pl.col("due"))
        return payout_findings(
            self,
            late,
            observed=(pl.col("paid") - pl.col("due")).dt.total_days().cast(pl.Float64),
            threshold=pl.lit(0.0),
            due_date="due",
            paid_at="paid_at",
            unpaid=pl.col("paid_at").is_null(),
        )


@register
class PayCycle(Rule):
    """A payout period longer than the law allows.

    Employees must be paid at least monthly: a period is too long when it ends on or after the
    same day `max_pay_cycle_months` (1) calendar month later, or on or after that month's last
    day when it has no such day (2025-02-01..2025-03-01 is too long, 2025-02-01..2025-02-28
    is not; 2025-01-31 must end by 2025-02-27). Part-time (非全日制) employees must be paid at
    least every 15 days (`part_time_max_pay_cycle_days`), both ends counted; part_time empty
    counts as full-time. The limit in force on the period's first day applies. Observed: the
    period's length in days; threshold: the longest period allowed from its first day, in days.
    """

    code = "PY002"
    name = {"en": "Pay cycle", "zh": "工资支付周期"}
    severity = "error"
    categories = ("employee",)
    params = ("max_pay_cycle_months", "part_time_max_pay_cycle_days")
    unit = "days"
    basis = f"《劳动法》第五十条; {WAGE_BASIS}第七条; 《劳动合同法》第七十二条"
    message = {
        "zh": "结算周期{period_start}至{period_end}共{observed}天，超过{threshold}天",
        "en": "The pay period {period_start} to {period_end} lasts {observed} days, longer "
        "than {threshold} days",
    }
    example = (
        "W1, a payout for 2025-02-01 to 2025-03-01 → observed 29 days, threshold 28 (a month "
        "from 2025-02-01 ends on 2025-02-28)."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories)
        for name in self.params:
            pays = ctx.pack.asof(pays, name, date_col="period_start")
        months, part_time_days = (pl.col(name).cast(pl.Int64) for name in self.params)
        start = pl.col("period_start")
        last = (
            pl.when("part_time")
            .then(start + pl.duration(days=part_time_days - 1))
            .otherwise(start.dt.offset_by(pl.format("{}mo", months)) - pl.duration(days=1))
        )
        days = (pl.col("period_end") - start).dt.total_days() + 1
        limit = (pl.col("last") - start).dt.total_days() + 1
        found = pays.with_columns(last=last).filter(pl.col("period_end") > pl.col("last"))
        return payout_findings(
            self,
            found,
            days.cast(pl.Float64),
            limit.cast(pl.Float64),
            days=days,
            last_day_allowed="last",
        )


@register
class PaidLessThanEarned(Rule):
    """Gross pay below what the worker's orders earned in the payout period.

    For each payout, Σ pay (tips excluded) of the worker's orders accepted from period_start to
    period_end (within the audited range) is compared with gross (应发). A finding when the
    orders earned more; the shortfall is the difference. A payout with no orders in its period
    (e.g. a salaried employee) is never a finding.
    """

    code = "PY003"
    name = {"en": "Paid less than earned", "zh": "少付订单报酬"}
    severity = "error"
    categories = PAID
    unit = "CNY"
    basis = f"《劳动法》第五十条; {WAGE_BASIS}第十五条; 渝人社发〔2021〕38号 第（五）项"
    message = {
        "zh": "{period_start}至{period_end}订单报酬{observed}元，应发仅{threshold}元，"
        "少付{shortfall}元",
        "en": "From {period_start} to {period_end} orders earned {observed} CNY but gross pay "
        "was {threshold} CNY; {shortfall} CNY is owed",
    }
    example = (
        "W1, payout for 2025-01: orders accepted in January paid 3,000.00 CNY, gross 2,800.00 "
        "CNY → shortfall 200.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories)
        # The orders accepted in the period, summed per day already: a tenth of the rows.
        earned = (
            ctx.daily.filter(pl.col("orders") > 0)
            .select("worker_id", "date", "accepted_pay_fen", "orders")
            .join(pays.select("_payout", "worker_id", "period_start", "period_end"), on="worker_id")
            .filter(pl.col("date").is_between("period_start", "period_end"))
            .group_by("_payout")
            .agg(earned=pl.col("accepted_pay_fen").sum(), orders=pl.col("orders").sum())
        )
        found = pays.join(earned, on="_payout").filter(pl.col("earned") > pl.col("gross"))
        return payout_findings(
            self,
            found,
            cny(pl.col("earned")),
            cny(pl.col("gross")),
            pl.col("earned") - pl.col("gross"),
            orders="orders",
        )


class _Withheld(Rule):
    """A payout amount that may not be taken from the worker at all: the whole amount is owed,
    unless `owed` is false (a case to review)."""

    column: str
    owed = True
    categories = PAID
    severity = "error"
    unit = "CNY"

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        found = payouts(ctx, self.categories).filter(pl.col(self.column) > 0)
        amount = pl.col(self.column)
        return payout_findings(self, found, cny(amount), pl.lit(0.0), amount if self.owed else 0)


@register
class Deposit(_Withheld):
    """A deposit or guarantee money (押金、保证金) withheld from the worker.

    Any payout with deposit > 0, for an employee or a platform-managed worker, is a finding;
    the whole deposit is owed back.
    """

    code = "PY004"
    column = "deposit"
    name = {"en": "Deposit collected", "zh": "收取押金或保证金"}
    basis = "渝人社发〔2021〕38号 第（四）项"
    message = {
        "zh": "{period_start}至{period_end}收取押金或保证金{observed}元，应退还{shortfall}元",
        "en": "A deposit of {observed} CNY was withheld for {period_start} to {period_end}; "
        "{shortfall} CNY is owed",
    }
    example = "W1, payout for 2025-01 with a 500.00 CNY 保证金 → shortfall 500.00 CNY."


@register
class InjuryInsuranceCharged(_Withheld):
    """An occupational-injury or work-injury insurance premium charged to the worker.

    职业伤害保障 is paid by the platform per order (平台全额缴费) and 工伤保险 by the employer:
    any payout with injury_insurance_fee > 0 is a finding; the whole fee is owed back.
    """

    code = "PY005"
    column = "injury_insurance_fee"
    name = {"en": "Injury insurance charged", "zh": "向劳动者收取职业伤害保障费"}
    basis = "人社部发〔2021〕110号; 渝人社发〔2021〕38号 第（九）项; 《工伤保险条例》第十条"
    message = {
        "zh": "{period_start}至{period_end}向劳动者扣收保险费{observed}元，应退还{shortfall}元",
        "en": "An injury-insurance premium of {observed} CNY was charged to the worker for "
        "{period_start} to {period_end}; {shortfall} CNY is owed",
    }
    example = "W1, payout for 2025-01 deducting 7.50 CNY 职业伤害保障费 → shortfall 7.50 CNY."


@register
class FineDeducted(_Withheld):
    """A fine (罚款) deducted from the worker's pay: a warning to review.

    Any payout of an employee or a platform-managed worker with penalty > 0. No law has let an
    employer fine a worker out of pay since the rules on rewards and penalties of enterprise
    staff (《企业职工奖惩条例》) were repealed in 2008; only what the law lists may be withheld,
    and compensation for damage the worker caused is capped (PY006). A deduction called a fine
    may still be such compensation under another name, so it is a warning to review: the fine
    is the observed value and no shortfall is claimed.
    """

    code = "PY007"
    column = "penalty"
    owed = False
    severity = "warning"
    name = {"en": "Fine deducted", "zh": "从报酬中扣罚款"}
    basis = (
        f"《劳动法》第五十条; {WAGE_BASIS}第十五条; "
        "《国务院关于废止部分行政法规的决定》（国务院令第516号，废止《企业职工奖惩条例》）"
    )
    message = {
        "zh": "{period_start}至{period_end}从报酬中扣除罚款{observed}元，请核查其依据",
        "en": "A fine of {observed} CNY was deducted from pay for {period_start} to "
        "{period_end}; review its basis",
    }
    example = "W1, payout for 2025-01 deducting a 50.00 CNY 罚款 → observed 50.00 CNY, shortfall 0."
