-- Effect estimates of initiatives on their indicators, kept with a
-- fingerprint of their inputs (series, go-live, spend, method version) so
-- they are recomputed only when something they rest on changed. Derived
-- data: no audit entries.
CREATE TABLE effect_estimates (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    initiative_id    BIGINT NOT NULL REFERENCES initiatives(id),
    indicator_id     BIGINT NOT NULL REFERENCES indicators(id),
    fingerprint      TEXT NOT NULL,
    result           TEXT NOT NULL,
    computed_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (initiative_id, indicator_id)
);
CREATE INDEX effect_estimates_by_indicator ON effect_estimates (indicator_id);
