-- Campaigns: themed calls for ideas with a period and an owner. Days are
-- day numbers, like survey waves.
CREATE TABLE idea_campaigns (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    owner_user_id    BIGINT NOT NULL REFERENCES users(id),
    opens_on         BIGINT NOT NULL,
    closes_on        BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, title)
);

ALTER TABLE ideas ADD COLUMN campaign_id BIGINT REFERENCES idea_campaigns(id);
-- Set when a moderator hides the idea: why, for the author and moderators.
ALTER TABLE ideas ADD COLUMN hidden_reason TEXT;
-- When it was last accepted or declined (time from idea to decision).
ALTER TABLE ideas ADD COLUMN decided_at TIMESTAMPTZ;
UPDATE ideas SET decided_at = updated_at WHERE state IN ('accepted', 'declined');
-- Rate limits count an author's recent posts.
CREATE INDEX ideas_by_author ON ideas (author_user_id, created_at);

CREATE TABLE idea_comments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    idea_id          BIGINT NOT NULL REFERENCES ideas(id),
    author_user_id   BIGINT NOT NULL REFERENCES users(id),
    body             TEXT NOT NULL,
    hidden_reason    TEXT,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX idea_comments_by_idea ON idea_comments (idea_id, created_at);
CREATE INDEX idea_comments_by_author ON idea_comments (author_user_id, created_at);

-- In-app notifications for one person. What they are about is kept as
-- codes and a title at the time, so that they read in either language.
CREATE TABLE notifications (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    kind             TEXT NOT NULL,
    subject_id       BIGINT NOT NULL,
    title            TEXT NOT NULL,
    detail           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    read_at          TIMESTAMPTZ
);
CREATE INDEX notifications_by_user ON notifications (organisation_id, user_id, created_at);
