-- Optimistic concurrency for initiatives: every change raises the version;
-- a change made from an older version is refused instead of silently
-- overwriting what someone else saved in between.
ALTER TABLE initiatives ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
