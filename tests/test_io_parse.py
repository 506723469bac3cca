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


plain = st.sampled_from(["{}", "+{}", "{:.2f}", "{:.1f}", "{:.0f}", "-{}", " {} ", "{}\u3000"])
# Up to 15 digits: the fast pass reads 13 through a double, the full parser the rest.
large = st.decimals(min_value=0, max_value=Decimal(10**15) - 1, places=2, allow_nan=False)


@given(st.lists(st.tuples(amounts | large, st.one_of(forms, plain)), min_size=1, max_size=50))
def test_loader_stages_read_money_as_the_full_parser_does(cases) -> None:
    """The loader's fast pass (plain amounts of at most two decimals), whether it reads the
    trimmed cells or the untrimmed ones first (the trimmed leftovers then), and the full parser
    it falls back to give the same fen as money() alone, for every form and rounding."""
    from payaudit.contracts import contract
    from payaudit.io import _stages, _trimmed
    from payaudit.io.parse import fast

    pay = contract("orders").column("pay")
    cells = [form.format(amount) for amount, form in cases]
    full = pl.DataFrame({"pay": cells}).select(
        money(money_text(pl.col("pay"), pl.String), pl.String).alias("pay")
    )
    for first in ({}, {"pay": fast(pay, pl.String)[0]}):
        frame = _trimmed(pl.LazyFrame({"pay": cells}), ["pay"], first)
        for stage in _stages(pay, pl.col("pay"), pl.String, trimmed=True, read=bool(first)):
            frame = frame.with_columns(stage)
        staged = frame.collect()["_value_pay"].to_list()
        assert staged == full["pay"].to_list(), (cells, first)


def test_money_that_reads_two_ways_is_unreadable():
    """A comma is a thousands separator only in groups of three: 1.234,50 (a decimal comma)
    and 12,5 would read as 1.23 and 125.00, so they, 1,23,4.5 and digits other than 0-9
    (full-width １２.５, which Polars' \\d matches but no cast reads) are null: D002."""
    cells = ["1,234.50", "-1,234", "1,234,567.891", "1.234,50", "12,5", "1,23,4.5", "１２.５", "١٢"]
    parsed = pl.DataFrame({"cell": cells}).select(
        fen=money(money_text(pl.col("cell"), pl.String), pl.String)
    )
    assert parsed["fen"].to_list() == [123450, -123400, 123456789, None, None, None, None, None]
