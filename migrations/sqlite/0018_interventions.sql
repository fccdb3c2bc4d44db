-- What an organisation can do about a weak factor or barrier. Built-in
-- entries carry the key they were installed from; organisations add their
-- own and switch entries off.
CREATE TABLE interventions (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    builtin_key      TEXT,
    dimension        TEXT NOT NULL,
    title_nl         TEXT NOT NULL,
    title_en         TEXT NOT NULL,
    description_nl   TEXT NOT NULL,
    description_en   TEXT NOT NULL,
    active           INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (organisation_id, title_nl),
    UNIQUE (organisation_id, builtin_key)
);

-- An initiative planned as an intervention: which one, for which
-- dimension, and the wave whose result it answers (to compare the next
-- wave with).
ALTER TABLE initiatives ADD COLUMN intervention_id INTEGER REFERENCES interventions(id);
ALTER TABLE initiatives ADD COLUMN intervention_dimension TEXT;
ALTER TABLE initiatives ADD COLUMN baseline_wave_id INTEGER REFERENCES survey_waves(id);
