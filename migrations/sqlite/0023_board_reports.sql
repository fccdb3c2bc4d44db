-- Board reports: each one an unchanging snapshot of one period, kept as
-- the data it was built from (JSON, in the report's language).
CREATE TABLE board_reports (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    period           TEXT NOT NULL,
    language         TEXT NOT NULL,
    made_by_user_id  INTEGER NOT NULL REFERENCES users(id),
    made_at          TEXT NOT NULL,
    content          TEXT NOT NULL,
    content_sha256   TEXT NOT NULL
);
CREATE INDEX board_reports_by_organisation ON board_reports (organisation_id, id);

-- A snapshot never changes once made.
CREATE TRIGGER board_reports_unchanging BEFORE UPDATE ON board_reports
BEGIN
    SELECT RAISE(ABORT, 'board reports never change');
END;
