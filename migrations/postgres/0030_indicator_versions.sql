-- Optimistic concurrency for indicators, as for initiatives (0029): every
-- change of the definition raises the version, and a change made from an
-- older version is refused instead of overwriting what someone else saved.
ALTER TABLE indicators ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
