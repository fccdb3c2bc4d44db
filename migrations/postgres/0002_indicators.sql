-- Indicators, their dated targets (revisions kept) and measurements.
-- Periods and target dates are stored as days since 1970-01-01.
CREATE TABLE indicators (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id      BIGINT NOT NULL REFERENCES organisations(id),
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    perspective          TEXT NOT NULL,
    value_unit           TEXT NOT NULL,
    min_value            DOUBLE PRECISION,
    max_value            DOUBLE PRECISION,
    direction            TEXT NOT NULL,
    range_low            DOUBLE PRECISION,
    range_high           DOUBLE PRECISION,
    frequency            TEXT NOT NULL,
    aggregation          TEXT NOT NULL,
    baseline_value       DOUBLE PRECISION,
    baseline_period      BIGINT,
    owner_user_id        BIGINT REFERENCES users(id),
    responsible_unit_id  BIGINT REFERENCES units(id),
    data_source          TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, code)
);

CREATE TABLE indicator_targets (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id     BIGINT NOT NULL REFERENCES indicators(id),
    target_day       BIGINT NOT NULL,
    value            DOUBLE PRECISION NOT NULL,
    reason           TEXT NOT NULL,
    created_by       BIGINT REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL,
    superseded_at    TIMESTAMPTZ
);
CREATE INDEX indicator_targets_by_indicator ON indicator_targets (indicator_id, target_day);

CREATE TABLE measurements (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id     BIGINT NOT NULL REFERENCES indicators(id),
    period_start     BIGINT NOT NULL,
    dimension_key    TEXT NOT NULL,
    value            DOUBLE PRECISION NOT NULL,
    note             TEXT NOT NULL,
    source           TEXT NOT NULL,
    recorded_by      BIGINT REFERENCES users(id),
    recorded_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (indicator_id, period_start, dimension_key)
);
