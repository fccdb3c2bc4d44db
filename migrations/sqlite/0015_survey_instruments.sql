-- The readiness scan for management and the staff pulse survey: one
-- instrument of each kind per organisation, in versions that never change
-- once made, so that waves asked with one version stay comparable.
CREATE TABLE survey_instruments (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    kind             TEXT NOT NULL,
    current_version  INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (organisation_id, kind)
);

CREATE TABLE survey_versions (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    instrument_id    INTEGER NOT NULL REFERENCES survey_instruments(id),
    number           INTEGER NOT NULL,
    note             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (instrument_id, number)
);

-- An item keeps its key across versions while its wording stays; a new
-- wording is a new item with a new key.
CREATE TABLE survey_items (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    version_id       INTEGER NOT NULL REFERENCES survey_versions(id),
    position         INTEGER NOT NULL,
    item_key         TEXT NOT NULL,
    dimension        TEXT NOT NULL,
    text_nl          TEXT NOT NULL,
    text_en          TEXT NOT NULL,
    UNIQUE (version_id, item_key)
);
CREATE INDEX survey_items_by_version ON survey_items (version_id, position);
