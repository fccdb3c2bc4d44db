-- The readiness scan for management and the staff pulse survey: one
-- instrument of each kind per organisation, in versions that never change
-- once made, so that waves asked with one version stay comparable.
CREATE TABLE survey_instruments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    kind             TEXT NOT NULL,
    current_version  BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, kind)
);

CREATE TABLE survey_versions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    instrument_id    BIGINT NOT NULL REFERENCES survey_instruments(id),
    number           BIGINT NOT NULL,
    note             TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (instrument_id, number)
);

-- An item keeps its key across versions while its wording stays; a new
-- wording is a new item with a new key.
CREATE TABLE survey_items (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    version_id       BIGINT NOT NULL REFERENCES survey_versions(id),
    position         BIGINT NOT NULL,
    item_key         TEXT NOT NULL,
    dimension        TEXT NOT NULL,
    text_nl          TEXT NOT NULL,
    text_en          TEXT NOT NULL,
    UNIQUE (version_id, item_key)
);
CREATE INDEX survey_items_by_version ON survey_items (version_id, position);
