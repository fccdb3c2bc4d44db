-- Files uploaded for an import, kept between the preview and the commit.
-- Rows older than a day are removed when the next file arrives.
CREATE TABLE measurement_uploads (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    filename         TEXT NOT NULL,
    content          BYTEA NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX measurement_uploads_by_age ON measurement_uploads (created_at);
