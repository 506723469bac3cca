"""The synthetic roster: who works where, for which platform, in which category, at what pay
rate, and which workers carry an injected violation. Small (one row per worker), so it is built
whole before the orders are streamed chunk by chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

CATEGORIES = ("platform_managed", "employee", "independent")
CATEGORY_P = (0.70, 0.15, 0.15)
PLATFORMS = ("美团", "饿了么", "达达", "闪送", "顺丰同城")
PLATFORM_P = (0.45, 0.35, 0.08, 0.06, 0.06)
# (district, GB/T 2260 code, weight): mostly the class-1 urban core, some class-2 counties.
DISTRICTS = (
    ("渝中区", 500103, 10), ("江北区", 500105, 10), ("渝北区", 500112, 12),
    ("沙坪坝区", 500106, 9), ("九龙坡区", 500107, 9), ("南岸区", 500108, 8),
    ("大渡口区", 500104, 3), ("北碚区", 500109, 4), ("巴南区", 500113, 5),
    ("万州区", 500101, 4), ("涪陵区", 500102, 3), ("永川区", 500118, 3),
    ("垫江县", 500231, 3), ("忠县", 500233, 2), ("丰都县", 500230, 2),
    ("云阳县", 500235, 2), ("奉节县", 500236, 2), ("石柱县", 500240, 2),
)  # fmt: skip
DISTRICT_NAMES = tuple(name for name, _, _ in DISTRICTS)
DISTRICT_P = tuple(w / sum(w for _, _, w in DISTRICTS) for _, _, w in DISTRICTS)
# Violations injected per worker: share of the eligible workers (at least one when any is).
RATES = {"MW001": 0.03, "HP001": 0.03, "FT001": 0.03, "FT002": 0.03, "PY004": 0.01,
         "PY001": 0.01}  # fmt: skip
VIOLATIONS = ("", "MW001", "HP001", "FT001", "FT002")  # index = Roster.violation
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗谭冉向秦")
_GIVEN = list("伟芳娜敏静强磊军洋勇艳杰涛明超秀霞平刚桂兰欢鹏宇浩婷俊峰建华")
_MOBILE = ("138", "139", "158", "159", "177", "186", "188", "199")
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])


@dataclass
class Roster:
    """Arrays indexed by worker number (0 … n−1)."""

    ids: pl.Series  # worker_id
    category: np.ndarray  # index into CATEGORIES
    district: np.ndarray  # index into DISTRICTS
    platform: np.ndarray  # index into PLATFORMS
    part_time: np.ndarray  # bool: works fewer, shorter days (众包 style); never a violator
    rate: np.ndarray  # order pay in fen per hour of order time
    violation: np.ndarray  # index into VIOLATIONS
    deposit: np.ndarray  # bool: a deposit is withheld from the first payout (PY004)
    late: np.ndarray  # bool: the first payout is paid after its due date (PY001)
    monthly_wage: np.ndarray  # fen, employees only (else 0)

    def __len__(self) -> int:
        return len(self.ids)


def _pick(rng: np.random.Generator, pool: np.ndarray, count: int) -> np.ndarray:
    return rng.choice(pool, size=min(count, len(pool)), replace=False)


def _count(rate: float, eligible: int) -> int:
    return min(eligible, max(1, round(rate * eligible))) if eligible else 0


def build_roster(n: int, rng: np.random.Generator) -> Roster:
    category = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
    district = rng.choice(len(DISTRICTS), size=n, p=DISTRICT_P)
    platform = rng.choice(len(PLATFORMS), size=n, p=PLATFORM_P)
    managed = category == 0
    part_time = managed & (rng.random(n) < 0.25)
    # Violators are full-time platform-managed workers, one rule each, so each is labelled once.
    violation = np.zeros(n, dtype=np.int8)
    pool = rng.permutation(np.flatnonzero(managed & ~part_time))
    start = 0
    for code in range(1, len(VIOLATIONS)):
        take = _count(RATES[VIOLATIONS[code]], int(managed.sum()))
        violation[pool[start : start + take]] = code
        start += take
    # Clean rates keep pay ≥ 32 CNY per order-hour, far above any hourly minimum (≤ 23);
    # independents (out of scope) are paid below it, which a correct audit must ignore.
    rate = rng.integers(3200, 4500, size=n)
    rate[violation == VIOLATIONS.index("HP001")] += 600
    rate[category == 2] = rng.integers(1200, 2000, size=int((category == 2).sum()))
    deposit = np.zeros(n, dtype=bool)
    deposit[_pick(rng, np.flatnonzero(managed), _count(RATES["PY004"], int(managed.sum())))] = True
    late = np.zeros(n, dtype=bool)
    employees = np.flatnonzero(category == 1)
    late_pool = employees if len(employees) else np.flatnonzero(managed)
    late[_pick(rng, late_pool, _count(RATES["PY001"], len(late_pool)))] = True
    wage = np.where(category == 1, rng.integers(45, 66, size=n) * 10_000, 0)
    width = max(5, len(str(n)))
    ids = "W" + pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(width)
    return Roster(ids, category, district, platform, part_time, rate, violation, deposit, late,
                  wage)  # fmt: skip


def _id_numbers(codes: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Resident id numbers: area code, birth date, sequence and the ISO 7064 check digit."""
    n = len(codes)
    birth = np.datetime64("1970-01-01") + rng.integers(0, 12_400, size=n).astype("timedelta64[D]")
    ymd = pl.Series(birth).dt.strftime("%Y%m%d").cast(pl.Int64).to_numpy()
    body = codes.astype(np.int64) * 10**11 + ymd * 1000 + rng.integers(0, 1000, size=n)
    digits = body[:, None] // 10 ** np.arange(16, -1, -1) % 10
    check = np.array(list("10X98765432"))[(digits @ _ID_WEIGHTS) % 11]
    return pl.Series(body).cast(pl.String) + pl.Series(check)


def roster_frame(roster: Roster, rng: np.random.Generator) -> pl.DataFrame:
    """The workers table with canonical columns; personal data is synthetic."""
    n = len(roster)
    given = np.array(_GIVEN)
    name = (
        pl.Series(np.array(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)])
        + pl.Series(given[rng.integers(0, len(given), n)])
        + pl.Series(np.where(rng.random(n) < 0.6, given[rng.integers(0, len(given), n)], ""))
    )
    phone = pl.Series(np.array(_MOBILE)[rng.integers(0, len(_MOBILE), n)]) + pl.Series(
        rng.integers(0, 10**8, n)
    ).cast(pl.String).str.zfill(8)
    codes = np.array([c for _, c, _ in DISTRICTS])[roster.district]
    employee = pl.col("category") == "employee"
    managed = pl.col("category") == "platform_managed"
    return pl.DataFrame(
        {
            "worker_id": roster.ids,
            "category": np.array(CATEGORIES)[roster.category],
            "district": np.array(DISTRICT_NAMES)[roster.district],
            "name": name,
            "phone": phone,
            "id_number": _id_numbers(codes, rng),
            "monthly_wage": roster.monthly_wage,
            "platform": np.array(PLATFORMS)[roster.platform],
        }
    ).select(
        "worker_id",
        "category",
        "district",
        "name",
        "phone",
        "id_number",
        hours_system=pl.when(employee).then(pl.lit("standard")),
        part_time=pl.when(employee).then(False),
        monthly_wage=pl.when(employee).then("monthly_wage"),
        injury_insurance=pl.when(employee).then(True),
        occupational_injury=pl.when(managed).then(True),
        platform="platform",
    )
