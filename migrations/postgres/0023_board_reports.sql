-- Board reports: each one an unchanging snapshot of one period, kept as
-- the data it was built from (JSON, in the report's language).
CREATE TABLE board_reports (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    period           TEXT NOT NULL,
    language         TEXT NOT NULL,
    made_by_user_id  BIGINT NOT NULL REFERENCES users(id),
    made_at          TIMESTAMPTZ NOT NULL,
    content          TEXT NOT NULL,
    content_sha256   TEXT NOT NULL
);
CREATE INDEX board_reports_by_organisation ON board_reports (organisation_id, id);

-- A snapshot never changes once made.
CREATE FUNCTION board_reports_unchanging() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'board reports never change';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER board_reports_unchanging BEFORE UPDATE ON board_reports
    FOR EACH ROW EXECUTE FUNCTION board_reports_unchanging();
