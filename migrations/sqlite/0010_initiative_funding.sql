-- Funding lines and the spend ledger of initiatives, in whole cents.
-- Innovation money, the regular operating budget and external
-- co-financing (applied, granted or refused) are kept apart.
CREATE TABLE initiative_funding (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    initiative_id    INTEGER NOT NULL REFERENCES initiatives(id),
    source           TEXT NOT NULL,
    funder           TEXT NOT NULL,
    scheme           TEXT NOT NULL,
    status           TEXT NOT NULL,
    year             INTEGER NOT NULL,
    amount_cents     INTEGER NOT NULL,
    note             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX initiative_funding_by_initiative ON initiative_funding (initiative_id, year);

CREATE TABLE initiative_spend (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    initiative_id    INTEGER NOT NULL REFERENCES initiatives(id),
    spent_on         INTEGER NOT NULL,
    amount_cents     INTEGER NOT NULL,
    source           TEXT NOT NULL,
    description      TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX initiative_spend_by_initiative ON initiative_spend (initiative_id, spent_on);
