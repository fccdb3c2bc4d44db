-- Tamper-evident audit log: every event gets a link in one chain, in the
-- order events were written. A link holds the hash of the link before it
-- and a hash over its own event, so a changed, removed or inserted event
-- breaks the chain (`koers audit verify`). The head row holds the last link
-- and serialises writers. Events written before this migration are chained
-- once, at the first start after it (`legacy_sealed`).
CREATE TABLE audit_chain_head (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    seq            INTEGER NOT NULL,
    last_hash      TEXT NOT NULL,
    legacy_sealed  INTEGER NOT NULL
);
INSERT INTO audit_chain_head (id, seq, last_hash, legacy_sealed)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

CREATE TABLE audit_chain (
    seq        INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL UNIQUE REFERENCES audit_events(id),
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

-- Append-only: the application never changes or removes an event or a
-- link; these refuse it if anything tries.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- The head only moves forward, and the one-time chaining of older events
-- cannot be switched on again.
CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head
WHEN NEW.seq < OLD.seq OR (OLD.legacy_sealed = 1 AND NEW.legacy_sealed = 0)
BEGIN SELECT RAISE(ABORT, 'the audit chain only grows'); END;
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
BEGIN SELECT RAISE(ABORT, 'the audit chain only grows'); END;
