-- Totals per indicator and calendar month, kept up to date as measurements
-- are written, so roll-ups over millions of daily values read thousands of
-- rows instead. Months are day numbers (days since 1970-01-01) of their
-- first day; a week counts in the month it starts in.
CREATE TABLE measurement_months (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    indicator_id     INTEGER NOT NULL REFERENCES indicators(id),
    month_start      INTEGER NOT NULL,
    total            REAL NOT NULL,
    count            INTEGER NOT NULL,
    last_day         INTEGER NOT NULL,
    last_value       REAL NOT NULL,
    PRIMARY KEY (indicator_id, month_start)
);

INSERT INTO measurement_months (organisation_id, indicator_id, month_start, total, count, last_day, last_value)
SELECT organisation_id, indicator_id,
       CAST(julianday(date(period_start * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
       SUM(value), COUNT(*), MAX(period_start), value
FROM measurements WHERE dimension_key = ''
GROUP BY organisation_id, indicator_id,
       CAST(julianday(date(period_start * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER);
