-- Ideas from every employee for smarter ways of working. The author is
-- always kept (moderators and the audit log know them), even when they
-- hide their name from colleagues. `supports` counts idea_supports,
-- kept in the same transaction.
CREATE TABLE ideas (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    author_user_id   BIGINT NOT NULL REFERENCES users(id),
    author_hidden    BIGINT NOT NULL,
    title            TEXT NOT NULL,
    problem          TEXT NOT NULL,
    proposal         TEXT NOT NULL,
    unit_id          BIGINT REFERENCES units(id),
    tags             TEXT NOT NULL,
    links            TEXT NOT NULL,
    state            TEXT NOT NULL,
    -- Why it was declined or parked, for the author to read.
    state_reason     TEXT NOT NULL,
    -- The initiative it was promoted to (one idea, one initiative).
    initiative_id    BIGINT UNIQUE REFERENCES initiatives(id),
    supports         BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX ideas_by_organisation ON ideas (organisation_id, created_at);

-- One support per person per idea.
CREATE TABLE idea_supports (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    idea_id          BIGINT NOT NULL REFERENCES ideas(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);
