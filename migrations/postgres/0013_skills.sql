-- People and skills: competence frameworks (DigComp 2.2 built in beside the
-- organisation's own), role profiles with the level each competence needs
-- now and at the horizon and the FTE plan, employees, their assessments as
-- a history, and learning actions. `skill_levels` holds the level that
-- counts per employee and competence (the newest assessment);
-- `skill_gap_counts` keeps the gap sums per unit, role and competence up to
-- date on write, so that the heatmap never scans individual levels.
-- skill_levels and skill_assessments have no index by organisation on
-- purpose: every write and every personal page reads one employee's rows,
-- and SQLite would otherwise pick the organisation index and scan them all.
CREATE TABLE competence_frameworks (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    builtin          TEXT,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    levels           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name),
    UNIQUE (organisation_id, builtin)
);

CREATE TABLE competences (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    framework_id     BIGINT NOT NULL REFERENCES competence_frameworks(id),
    code             TEXT NOT NULL,
    area             TEXT NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (framework_id, code)
);
CREATE INDEX competences_by_organisation ON competences (organisation_id, framework_id);

CREATE TABLE role_profiles (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id         BIGINT NOT NULL REFERENCES organisations(id),
    name                    TEXT NOT NULL,
    description             TEXT NOT NULL,
    information_management  BOOLEAN NOT NULL,
    fte_now                 DOUBLE PRECISION NOT NULL,
    fte_needed              DOUBLE PRECISION NOT NULL,
    horizon_on              BIGINT NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE role_requirements (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    role_profile_id  BIGINT NOT NULL REFERENCES role_profiles(id),
    competence_id    BIGINT NOT NULL REFERENCES competences(id),
    level_now        BIGINT NOT NULL,
    level_horizon    BIGINT NOT NULL,
    PRIMARY KEY (role_profile_id, competence_id)
);
CREATE INDEX role_requirements_by_competence ON role_requirements (competence_id);

CREATE TABLE employees (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    number           TEXT NOT NULL,
    name             TEXT NOT NULL,
    user_id          BIGINT REFERENCES users(id),
    unit_id          BIGINT REFERENCES units(id),
    role_profile_id  BIGINT REFERENCES role_profiles(id),
    active           BOOLEAN NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, number),
    UNIQUE (organisation_id, user_id)
);
CREATE INDEX employees_by_unit ON employees (organisation_id, unit_id);
CREATE INDEX employees_by_role ON employees (role_profile_id);

CREATE TABLE skill_assessments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    employee_id      BIGINT NOT NULL REFERENCES employees(id),
    competence_id    BIGINT NOT NULL REFERENCES competences(id),
    source           TEXT NOT NULL,
    level            BIGINT NOT NULL,
    evidence         TEXT NOT NULL,
    assessed_on      BIGINT NOT NULL,
    recorded_by      BIGINT REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX skill_assessments_by_employee ON skill_assessments (employee_id, competence_id, assessed_on);

CREATE TABLE skill_levels (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    employee_id      BIGINT NOT NULL REFERENCES employees(id),
    competence_id    BIGINT NOT NULL REFERENCES competences(id),
    level            BIGINT NOT NULL,
    PRIMARY KEY (employee_id, competence_id)
);

CREATE TABLE skill_gap_counts (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    unit_id          BIGINT NOT NULL,
    role_profile_id  BIGINT NOT NULL,
    competence_id    BIGINT NOT NULL,
    people           BIGINT NOT NULL,
    gap_now          BIGINT NOT NULL,
    gap_horizon      BIGINT NOT NULL,
    short_now        BIGINT NOT NULL,
    short_horizon    BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, unit_id, role_profile_id, competence_id)
);

CREATE TABLE assessment_rounds (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    name             TEXT NOT NULL,
    starts_on        BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name),
    UNIQUE (organisation_id, starts_on)
);

CREATE TABLE learning_actions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL,
    competence_id    BIGINT NOT NULL REFERENCES competences(id),
    unit_id          BIGINT REFERENCES units(id),
    role_profile_id  BIGINT REFERENCES role_profiles(id),
    planned_on       BIGINT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX learning_actions_by_organisation ON learning_actions (organisation_id, planned_on);

ALTER TABLE organisations ADD COLUMN min_group_size BIGINT NOT NULL DEFAULT 5;
