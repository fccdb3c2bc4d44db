-- Data assets: the datasets services, initiatives and indicators rely on,
-- with their steward, GDPR basis, quality and openness.
CREATE TABLE data_assets (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id   BIGINT NOT NULL REFERENCES organisations(id),
    name              TEXT NOT NULL,
    description       TEXT NOT NULL,
    steward_user_id   BIGINT REFERENCES users(id),
    source_system     TEXT NOT NULL,
    personal_data     BIGINT NOT NULL,
    -- The GDPR article 6 basis when it holds personal data.
    legal_basis       TEXT,
    completeness      BIGINT NOT NULL,
    timeliness        BIGINT NOT NULL,
    openness          TEXT NOT NULL,
    update_frequency  TEXT NOT NULL,
    -- Linked services, initiatives and indicators (ids, JSON lists).
    service_ids       TEXT NOT NULL,
    initiative_ids    TEXT NOT NULL,
    indicator_ids     TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name)
);

-- The people who form the knowledge and expertise point for data-driven
-- work, with the competences (of the skills framework) they bring.
CREATE TABLE data_expertise_members (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    role             TEXT NOT NULL,
    competence_ids   TEXT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);

-- Strategic assets the transformation relies on, and how critical each
-- is for which ambition.
CREATE TABLE strategic_assets (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id   BIGINT NOT NULL REFERENCES organisations(id),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    owner_user_id     BIGINT REFERENCES users(id),
    description       TEXT NOT NULL,
    current_state     TEXT NOT NULL,
    gap               TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE strategic_asset_ambitions (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    asset_id         BIGINT NOT NULL REFERENCES strategic_assets(id),
    ambition_id      BIGINT NOT NULL REFERENCES ambitions(id),
    criticality      TEXT NOT NULL,
    PRIMARY KEY (asset_id, ambition_id)
);
CREATE INDEX strategic_asset_ambitions_by_ambition ON strategic_asset_ambitions (ambition_id);
