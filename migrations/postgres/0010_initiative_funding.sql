-- Funding lines and the spend ledger of initiatives, in whole cents.
-- Innovation money, the regular operating budget and external
-- co-financing (applied, granted or refused) are kept apart.
CREATE TABLE initiative_funding (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    initiative_id    BIGINT NOT NULL REFERENCES initiatives(id),
    source           TEXT NOT NULL,
    funder           TEXT NOT NULL,
    scheme           TEXT NOT NULL,
    status           TEXT NOT NULL,
    year             BIGINT NOT NULL,
    amount_cents     BIGINT NOT NULL,
    note             TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX initiative_funding_by_initiative ON initiative_funding (initiative_id, year);

CREATE TABLE initiative_spend (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    initiative_id    BIGINT NOT NULL REFERENCES initiatives(id),
    spent_on         BIGINT NOT NULL,
    amount_cents     BIGINT NOT NULL,
    source           TEXT NOT NULL,
    description      TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX initiative_spend_by_initiative ON initiative_spend (initiative_id, spent_on);
