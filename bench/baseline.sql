-- Hand-written DuckDB baseline for MW001, FT001 and FT002 (docs/semantics.md, docs/rules.md) on the sample files.
-- {orders}, {shifts} and {workers} are table expressions (read_parquet / read_csv) filled in by
-- bench/run.py, which also creates area_class(district, area_class) and
-- min_wage(effective_from, area_class, fen) from the rule pack. Limits: 4 h stretch, 20 min
-- break, 8 h day, hourly minimum per day and area class, calendar months.

CREATE OR REPLACE TEMP TABLE orders AS
SELECT worker_id, accepted_at AS s, completed_at AS e,
       CAST(pay * 100 AS BIGINT) AS pay, CAST(coalesce(cost, 0) * 100 AS BIGINT) AS cost
FROM {orders};

CREATE OR REPLACE TEMP TABLE roster AS
SELECT w.worker_id, w.category, coalesce(a.area_class, 1) AS area_class
FROM {workers} w LEFT JOIN area_class a USING (district);

-- Working time: orders plus required shifts, merged per worker, split at midnight.
CREATE OR REPLACE TEMP TABLE daily AS
WITH intervals AS (
    SELECT worker_id, s, e FROM orders
    UNION ALL
    SELECT worker_id, "start", "end" FROM {shifts} WHERE kind = 'required'
), reach AS (
    SELECT *, max(e) OVER (PARTITION BY worker_id ORDER BY s, e
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM intervals
), grouped AS (
    SELECT *, sum(CASE WHEN prev_end IS NULL OR s > prev_end THEN 1 ELSE 0 END)
              OVER (PARTITION BY worker_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS grp
    FROM reach
), merged AS (
    SELECT worker_id, min(s) AS s, max(e) AS e FROM grouped GROUP BY worker_id, grp
), pieces AS (
    SELECT worker_id, CAST(d AS DATE) AS day,
           epoch(least(e, d + INTERVAL 1 DAY)) - epoch(greatest(s, d)) AS secs
    FROM (SELECT *, unnest(generate_series(date_trunc('day', s),
                                           date_trunc('day', e - INTERVAL 1 MICROSECOND),
                                           INTERVAL 1 DAY)) AS d
          FROM merged)
)
SELECT worker_id, day, CAST(sum(secs) AS BIGINT) AS secs FROM pieces GROUP BY worker_id, day;

-- FT001: runs of orders whose gaps are all under 20 minutes, longer than 4 h.
CREATE OR REPLACE TEMP TABLE ft001 AS
WITH reach AS (
    SELECT *, max(e) OVER (PARTITION BY worker_id ORDER BY s, e
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM orders
), grouped AS (
    SELECT *, sum(CASE WHEN prev_end IS NULL OR epoch(s) - epoch(prev_end) >= 1200
                       THEN 1 ELSE 0 END)
              OVER (PARTITION BY worker_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS stretch
    FROM reach
)
SELECT 'FT001' AS rule, worker_id, CAST(min(s) AS DATE) AS period_start,
       CAST(min(s) AS DATE) AS period_end
FROM grouped JOIN roster USING (worker_id)
WHERE category IN ('platform_managed', 'employee')
GROUP BY worker_id, stretch
HAVING epoch(max(e)) - epoch(min(s)) > 4 * 3600;

-- FT002: days over 8 h of working time.
CREATE OR REPLACE TEMP TABLE ft002 AS
SELECT 'FT002' AS rule, worker_id, day AS period_start, day AS period_end
FROM daily JOIN roster USING (worker_id)
WHERE category = 'platform_managed' AND secs > 8 * 3600;

-- MW001: per calendar month, eligible pay under Σ day seconds × that day's hourly minimum,
-- the requirement rounded half-up to the fen once.
CREATE OR REPLACE TEMP TABLE mw001 AS
WITH minimum AS (
    SELECT d.worker_id, d.day, d.secs, m.fen
    FROM daily d JOIN roster r USING (worker_id)
    ASOF JOIN min_wage m ON r.area_class = m.area_class AND d.day >= m.effective_from
    WHERE r.category = 'platform_managed'
), required AS (
    SELECT worker_id, date_trunc('month', day) AS month,
           (2 * sum(secs * fen) + 3600) // 7200 AS required
    FROM minimum GROUP BY worker_id, month HAVING sum(secs) > 0
), eligible AS (
    SELECT worker_id, date_trunc('month', s) AS month, sum(pay - cost) AS eligible
    FROM orders GROUP BY worker_id, month
)
SELECT 'MW001' AS rule, worker_id, CAST(month AS DATE) AS period_start,
       CAST(last_day(month) AS DATE) AS period_end
FROM required LEFT JOIN eligible USING (worker_id, month)
WHERE coalesce(eligible, 0) < required;

SELECT * FROM ft001 UNION ALL SELECT * FROM ft002 UNION ALL SELECT * FROM mw001;
