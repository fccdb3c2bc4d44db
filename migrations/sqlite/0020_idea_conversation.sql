-- Campaigns: themed calls for ideas with a period and an owner. Days are
-- day numbers, like survey waves.
CREATE TABLE idea_campaigns (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    owner_user_id    INTEGER NOT NULL REFERENCES users(id),
    opens_on         INTEGER NOT NULL,
    closes_on        INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (organisation_id, title)
);

ALTER TABLE ideas ADD COLUMN campaign_id INTEGER REFERENCES idea_campaigns(id);
-- Set when a moderator hides the idea: why, for the author and moderators.
ALTER TABLE ideas ADD COLUMN hidden_reason TEXT;
-- When it was last accepted or declined (time from idea to decision).
ALTER TABLE ideas ADD COLUMN decided_at TEXT;
UPDATE ideas SET decided_at = updated_at WHERE state IN ('accepted', 'declined');
-- Rate limits count an author's recent posts.
CREATE INDEX ideas_by_author ON ideas (author_user_id, created_at);

CREATE TABLE idea_comments (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    idea_id          INTEGER NOT NULL REFERENCES ideas(id),
    author_user_id   INTEGER NOT NULL REFERENCES users(id),
    body             TEXT NOT NULL,
    hidden_reason    TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX idea_comments_by_idea ON idea_comments (idea_id, created_at);
CREATE INDEX idea_comments_by_author ON idea_comments (author_user_id, created_at);

-- In-app notifications for one person. What they are about is kept as
-- codes and a title at the time, so that they read in either language.
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    kind             TEXT NOT NULL,
    subject_id       INTEGER NOT NULL,
    title            TEXT NOT NULL,
    detail           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    read_at          TEXT
);
CREATE INDEX notifications_by_user ON notifications (organisation_id, user_id, created_at);
