"""Exact money: integer fen in every sum; rounding half-up only where a fraction must become fen."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl


def div_half_up(numerator: pl.Expr, denominator: pl.Expr | int) -> pl.Expr:
    """numerator / denominator rounded half-up to an integer, for non-negative integers."""
    den = denominator if isinstance(denominator, pl.Expr) else pl.lit(denominator, pl.Int64)
    return (numerator * 2 + den) // (den * 2)


def fen_to_cny(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cny_to_fen(cny: Decimal | int | str) -> int:
    return int((Decimal(cny) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
