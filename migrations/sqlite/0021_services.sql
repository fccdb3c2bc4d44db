-- The service catalogue: what the organisation delivers, how digital each
-- service is (maturity 0-5, see docs/maturity-scale.md), and what it is
-- linked to. Channel volumes live in an indicator with a `kanaal`
-- breakdown (`volume_indicator_id`).
CREATE TABLE services (
    id                   INTEGER PRIMARY KEY,
    organisation_id      INTEGER NOT NULL REFERENCES organisations(id),
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    target_groups        TEXT NOT NULL,
    legal_basis          TEXT NOT NULL,
    owner_unit_id        INTEGER REFERENCES units(id),
    lead_time_days       INTEGER,
    channels             TEXT NOT NULL,
    maturity             INTEGER NOT NULL,
    automation           TEXT NOT NULL,
    personalisation      TEXT NOT NULL,
    volume_indicator_id  INTEGER REFERENCES indicators(id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE service_indicators (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    service_id       INTEGER NOT NULL REFERENCES services(id),
    indicator_id     INTEGER NOT NULL REFERENCES indicators(id),
    PRIMARY KEY (service_id, indicator_id)
);
CREATE INDEX service_indicators_by_indicator ON service_indicators (indicator_id);

CREATE TABLE service_initiatives (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    service_id       INTEGER NOT NULL REFERENCES services(id),
    initiative_id    INTEGER NOT NULL REFERENCES initiatives(id),
    PRIMARY KEY (service_id, initiative_id)
);
CREATE INDEX service_initiatives_by_initiative ON service_initiatives (initiative_id);
