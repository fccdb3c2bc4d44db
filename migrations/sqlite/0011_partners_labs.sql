-- Partner organisations with their role per initiative, and future labs:
-- collaborations of several organisations, each contributing money,
-- people, data or facilities, that host initiatives.
CREATE TABLE partners (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE initiative_partners (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    initiative_id    INTEGER NOT NULL REFERENCES initiatives(id),
    partner_id       INTEGER NOT NULL REFERENCES partners(id),
    role             TEXT NOT NULL,
    PRIMARY KEY (initiative_id, partner_id)
);
CREATE INDEX initiative_partners_by_partner ON initiative_partners (partner_id);

CREATE TABLE future_labs (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    name             TEXT NOT NULL,
    theme            TEXT NOT NULL,
    description      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE lab_members (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    lab_id           INTEGER NOT NULL REFERENCES future_labs(id),
    partner_id       INTEGER NOT NULL REFERENCES partners(id),
    contributions    TEXT NOT NULL,
    description      TEXT NOT NULL,
    PRIMARY KEY (lab_id, partner_id)
);
CREATE INDEX lab_members_by_partner ON lab_members (partner_id);

ALTER TABLE initiatives ADD COLUMN lab_id INTEGER REFERENCES future_labs(id);
