-- Tamper-evident audit log: every event gets a link in one chain, in the
-- order events were written. A link holds the hash of the link before it
-- and a hash over its own event, so a changed, removed or inserted event
-- breaks the chain (`koers audit verify`). The head row holds the last link
-- and serialises writers (its row lock). Events written before this
-- migration are chained once, at the first start after it (`legacy_sealed`).
CREATE TABLE audit_chain_head (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    seq            BIGINT NOT NULL,
    last_hash      TEXT NOT NULL,
    legacy_sealed  BOOLEAN NOT NULL
);
INSERT INTO audit_chain_head (id, seq, last_hash, legacy_sealed)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', FALSE);

CREATE TABLE audit_chain (
    seq        BIGINT PRIMARY KEY,
    event_id   BIGINT NOT NULL UNIQUE REFERENCES audit_events(id),
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

-- Append-only: the application never changes or removes an event or a
-- link; these refuse it if anything tries.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- The head only moves forward, and the one-time chaining of older events
-- cannot be switched on again.
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR (OLD.legacy_sealed AND NOT NEW.legacy_sealed) THEN
        RAISE EXCEPTION 'the audit chain only grows';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE OR DELETE ON audit_chain_head
FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
