"""Deductions from an employee's pay beyond the legal limits (PY006)."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import RATIO_DEN, AuditContext, cny, ratio_num
from payaudit.money import div_half_up
from payaudit.rules.attendance import REQUIRED_FEN, full_time_minimum
from payaudit.rules.base import Rule, register
from payaudit.rules.payment import WAGE_BASIS, payout_findings, payouts


@register
class ExcessiveDeduction(Rule):
    """Deductions over the legal limits.

    The deductions are penalty + equipment + other_deduction (tax and individual social
    insurance are lawful withholdings; deposits and insurance premiums are PY004/PY005). The
    most that may be deducted is the smaller of two limits: `max_deduction_ratio` (20 %) of
    gross, and what keeps the pay that counts toward the minimum (gross − overtime_pay −
    allowances) at or above the monthly minimum the period requires by attendance, the figure
    MW002 reports (each calendar month's required pay, rounded to the fen, added up over the
    months the period covers; absences from days_worked, else from the days with work
    recorded; no work recorded at all counts as full attendance). When that pay is already
    below the minimum nothing may be deducted. A finding when the deductions exceed the smaller
    limit; the shortfall is the excess, i.e. the larger of the two limbs' excesses, never more
    than the deductions. Part-time employees: the 20 % limit only.
    """

    code = "PY006"
    name = {"en": "Excessive deduction", "zh": "违法克扣工资"}
    severity = "error"
    categories = ("employee",)
    params = ("max_deduction_ratio", "min_wage_monthly", "monthly_paid_days")
    unit = "CNY"
    basis = f"{WAGE_BASIS}第十五条、第十六条; 《劳动法》第五十条"
    message = {
        "zh": "{period_start}至{period_end}扣款{observed}元，超过可扣上限{threshold}元，"
        "应退还{shortfall}元",
        "en": "From {period_start} to {period_end} deductions were {observed} CNY, over the "
        "{threshold} CNY that may be deducted; {shortfall} CNY is owed",
    }
    example = (
        "W1 (渝中区), January 2025 with all 19 scheduled working days attended: gross 2,500.00 "
        "CNY, penalties 300.00 CNY. 20 % allows 500.00 but 2,500 − 2,330 leaves only 170.00 → "
        "shortfall 130.00 CNY. With days_worked 17 the minimum is 2,330 − 2,330 / 21.75 × 2 = "
        "2,115.75, 384.25 may be deducted and 300.00 is within both limits."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories)
        pays = ctx.pack.asof(pays, "max_deduction_ratio", date_col="period_end", out="ratio")
        minimum = (
            full_time_minimum(ctx, self.categories)
            .group_by("_payout")
            .agg(required=REQUIRED_FEN.sum(), absent_days=pl.col("absent").sum())
        )
        pays = pays.join(minimum, on="_payout", how="left")
        taken = (pl.col("penalty") + pl.col("equipment") + pl.col("other_deduction")) * RATIO_DEN
        # Limits as numerators over RATIO_DEN; min_horizontal skips the null minimum limb.
        allowed = pl.min_horizontal(
            pl.col("gross") * ratio_num(pl.col("ratio")),
            (pl.col("eligible") - pl.col("required")) * RATIO_DEN,
        ).clip(lower_bound=0)
        found = pays.with_columns(taken=taken, allowed=allowed).filter(
            pl.col("taken") > pl.col("allowed")
        )
        return payout_findings(
            self,
            found,
            cny(pl.col("taken") // RATIO_DEN),
            (pl.col("allowed") / RATIO_DEN / 100).round(2),
            div_half_up(pl.col("taken") - pl.col("allowed"), RATIO_DEN),
            gross_cny=cny(pl.col("gross")),
            minimum_cny=cny(pl.col("required")),
            absent_days="absent_days",
        )
