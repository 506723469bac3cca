"""Writers that append chunk after chunk: CSV (UTF-8, canonical headers), Parquet (one row group
per chunk) and the Chinese platform export (GB18030, Chinese headers, `2025/1/6 9:05`, `¥12.50`).

Frames come in canonical form (money in integer fen) and leave as text or Decimal(12, 2), so
amounts stay exact in every format.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The Chinese copy of the orders: canonical column → header, as platform exports name them.
CHINESE_ORDERS = {
    "order_id": "订单编号",
    "worker_id": "骑手编号",
    "platform": "平台",
    "district": "区县",
    "accepted_at": "接单时间",
    "completed_at": "送达时间",
    "pay": "订单收入",
    "tip": "小费",
    "cost": "从业成本",
}


def money_text(fen: pl.Expr, prefix: str = "") -> pl.Expr:
    """Fen as `12.50` (or `¥12.50`), exact; null stays null."""
    cents = (fen % 100).cast(pl.String).str.zfill(2)
    whole = (fen // 100).cast(pl.String)
    text = pl.concat_str(pl.lit(prefix), whole, pl.lit("."), cents)
    return text.alias(fen.meta.output_name())


def _money_columns(frame: pl.DataFrame, money: tuple[str, ...], as_text: bool) -> pl.DataFrame:
    decimal = pl.Decimal(12, 2)
    return frame.with_columns(
        money_text(pl.col(c))
        if as_text
        else (pl.col(c).cast(pl.Decimal(14, 2)) / 100).cast(decimal)
        for c in money
    )


class TableWriter:
    """One output table, written chunk by chunk."""

    def __init__(self, path: Path, money: tuple[str, ...] = ()):
        self.path, self.money, self.rows = path, money, 0
        self._handle = None
        self._parquet: pq.ParquetWriter | None = None

    def write(self, frame: pl.DataFrame) -> None:
        if self.path.suffix == ".parquet":
            table = _money_columns(frame, self.money, as_text=False).to_arrow()
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self._parquet.write_table(table)
        else:
            if self._handle is None:
                self._handle = self.path.open("wb")
            _money_columns(frame, self.money, as_text=True).write_csv(
                self._handle, include_header=self.rows == 0, datetime_format=TIME_FORMAT
            )
        self.rows += frame.height

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._handle is not None:
            self._handle.close()


class ChineseOrdersWriter:
    """The orders as a Chinese platform exports them (the accepted forms), GB18030-encoded."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("wb")
        self.first = True

    def write(self, orders: pl.DataFrame) -> None:
        chinese = orders.select(
            *(
                money_text(pl.col(c), "¥")
                if c in ("pay", "tip", "cost")
                else pl.col(c).dt.strftime("%Y/%-m/%-d %-H:%M")
                if c in ("accepted_at", "completed_at")
                else pl.col(c)
                for c in CHINESE_ORDERS
            ),
            订单状态=pl.lit("已送达"),
        ).rename(CHINESE_ORDERS)
        self._handle.write(chinese.write_csv(include_header=self.first).encode("gb18030"))
        self.first = False

    def close(self) -> None:
        self._handle.close()
