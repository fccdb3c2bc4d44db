-- Files uploaded for an import, kept between the preview and the commit.
-- Rows older than a day are removed when the next file arrives. AUTOINCREMENT:
-- a removed upload's id is never reused, so a stale confirm link cannot
-- import another file.
CREATE TABLE measurement_uploads (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    filename         TEXT NOT NULL,
    content          BLOB NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX measurement_uploads_by_age ON measurement_uploads (created_at);
