-- The gap sums of an assessment round, fixed once the round has closed
-- (the next round started), so that the trend shows what was measured
-- then and costs nothing to read.
ALTER TABLE assessment_rounds ADD COLUMN fixed_at TEXT;

CREATE TABLE skill_round_gaps (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    round_id         INTEGER NOT NULL REFERENCES assessment_rounds(id),
    unit_id          INTEGER NOT NULL,
    role_profile_id  INTEGER NOT NULL,
    competence_id    INTEGER NOT NULL,
    people           INTEGER NOT NULL,
    gap_now          INTEGER NOT NULL,
    gap_horizon      INTEGER NOT NULL,
    short_now        INTEGER NOT NULL,
    short_horizon    INTEGER NOT NULL,
    PRIMARY KEY (round_id, unit_id, role_profile_id, competence_id)
);

-- Uploads kept from preview to confirmation now serve more than one
-- import; a file is only confirmed by the import it was previewed for.
ALTER TABLE measurement_uploads ADD COLUMN purpose TEXT NOT NULL DEFAULT 'measurements';
