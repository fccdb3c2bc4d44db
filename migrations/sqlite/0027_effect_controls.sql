-- A comparison series per expected effect: an indicator the initiative did
-- not touch, measured as often, that the effect estimate regresses on.
ALTER TABLE initiative_indicators ADD COLUMN control_indicator_id INTEGER REFERENCES indicators(id);
