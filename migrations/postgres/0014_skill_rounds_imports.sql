-- The gap sums of an assessment round, fixed once the round has closed
-- (the next round started), so that the trend shows what was measured
-- then and costs nothing to read.
ALTER TABLE assessment_rounds ADD COLUMN fixed_at TIMESTAMPTZ;

CREATE TABLE skill_round_gaps (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    round_id         BIGINT NOT NULL REFERENCES assessment_rounds(id),
    unit_id          BIGINT NOT NULL,
    role_profile_id  BIGINT NOT NULL,
    competence_id    BIGINT NOT NULL,
    people           BIGINT NOT NULL,
    gap_now          BIGINT NOT NULL,
    gap_horizon      BIGINT NOT NULL,
    short_now        BIGINT NOT NULL,
    short_horizon    BIGINT NOT NULL,
    PRIMARY KEY (round_id, unit_id, role_profile_id, competence_id)
);

-- Uploads kept from preview to confirmation now serve more than one
-- import; a file is only confirmed by the import it was previewed for.
ALTER TABLE measurement_uploads ADD COLUMN purpose TEXT NOT NULL DEFAULT 'measurements';
