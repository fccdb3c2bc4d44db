-- A public dashboard per organisation (off by default) showing only the
-- indicators marked as published; breakdowns (dimensions, as JSON) and
-- formulas over other indicators.
ALTER TABLE organisations ADD COLUMN public_dashboard BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE indicators ADD COLUMN published BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE indicators ADD COLUMN dimensions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE indicators ADD COLUMN formula TEXT;
