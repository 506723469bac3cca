"""Money parsing against Python's Decimal, for any amount and any of its written forms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from payaudit.io.parse import money, money_text

amounts = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False)
forms = st.sampled_from(["{}", "¥{}", "{}元", "￥ {}", "RMB {}", "{:,}", "¥{:,}"])


@given(st.lists(st.tuples(amounts, forms), min_size=1, max_size=50))
def test_money_matches_decimal_rounded_half_up(cases: list[tuple[Decimal, str]]) -> None:
    cells = [form.format(amount) for amount, form in cases]
    parsed = pl.DataFrame({"cell": cells}).select(
        fen=money(money_text(pl.col("cell"), pl.String), pl.String)
    )
    expected = [int((a * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for a, _ in cases]
    assert parsed["fen"].to_list() == expected, cells
