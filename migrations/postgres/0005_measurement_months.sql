-- Totals per indicator and calendar month, kept up to date as measurements
-- are written, so roll-ups over millions of daily values read thousands of
-- rows instead. Months are day numbers (days since 1970-01-01) of their
-- first day; a week counts in the month it starts in.
CREATE TABLE measurement_months (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id     BIGINT NOT NULL REFERENCES indicators(id),
    month_start      BIGINT NOT NULL,
    total            DOUBLE PRECISION NOT NULL,
    count            BIGINT NOT NULL,
    last_day         BIGINT NOT NULL,
    last_value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (indicator_id, month_start)
);

INSERT INTO measurement_months (organisation_id, indicator_id, month_start, total, count, last_day, last_value)
SELECT organisation_id, indicator_id, month_start, SUM(value), COUNT(*), MAX(period_start),
       (array_agg(value ORDER BY period_start DESC))[1]
FROM (SELECT organisation_id, indicator_id, period_start, value,
             (date_trunc('month', DATE '1970-01-01' + period_start::int)::date - DATE '1970-01-01')::bigint AS month_start
      FROM measurements WHERE dimension_key = '') m
GROUP BY organisation_id, indicator_id, month_start;
