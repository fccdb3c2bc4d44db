-- Governance bodies of a programme (steering committee, programme office,
-- a new unit, the board) with their meetings, and the decision log with
-- follow-up actions. Members and attendees are small lists kept as JSON
-- text beside the row that owns them. Dates are days since 1970-01-01.
CREATE TABLE governance_bodies (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    programme_id     BIGINT NOT NULL REFERENCES programmes(id),
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    cadence_weeks    BIGINT,
    members          TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (programme_id, name)
);

CREATE TABLE body_meetings (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    body_id          BIGINT NOT NULL REFERENCES governance_bodies(id),
    held_on          BIGINT NOT NULL,
    attendees        TEXT NOT NULL,
    agenda           TEXT NOT NULL,
    minutes          TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX body_meetings_by_body ON body_meetings (body_id, held_on);

CREATE TABLE decisions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    programme_id     BIGINT NOT NULL REFERENCES programmes(id),
    body_id          BIGINT REFERENCES governance_bodies(id),
    title            TEXT NOT NULL,
    rationale        TEXT NOT NULL,
    decided_on       BIGINT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX decisions_by_programme ON decisions (programme_id, decided_on);

-- What a decision is about: ambitions and indicators (initiatives follow
-- with the portfolio).
CREATE TABLE decision_ambitions (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    decision_id      BIGINT NOT NULL REFERENCES decisions(id),
    ambition_id      BIGINT NOT NULL REFERENCES ambitions(id) ON DELETE CASCADE,
    PRIMARY KEY (decision_id, ambition_id)
);
CREATE TABLE decision_indicators (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    decision_id      BIGINT NOT NULL REFERENCES decisions(id),
    indicator_id     BIGINT NOT NULL REFERENCES indicators(id),
    PRIMARY KEY (decision_id, indicator_id)
);
CREATE INDEX decision_indicators_by_indicator ON decision_indicators (indicator_id);

CREATE TABLE decision_actions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    decision_id      BIGINT NOT NULL REFERENCES decisions(id),
    description      TEXT NOT NULL,
    owner_user_id    BIGINT REFERENCES users(id),
    owner_name       TEXT NOT NULL,
    due_on           BIGINT NOT NULL,
    status           TEXT NOT NULL,
    completed_on     BIGINT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX decision_actions_by_decision ON decision_actions (decision_id, due_on);
