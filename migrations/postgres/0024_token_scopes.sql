-- A token's scope: read only or also write, and the modules (API tags,
-- separated by spaces) it is limited to; empty means every module.
-- Tokens made before scopes keep what they could do: write everywhere.
ALTER TABLE api_tokens ADD COLUMN access TEXT NOT NULL DEFAULT 'write'
    CHECK (access IN ('read', 'write'));
ALTER TABLE api_tokens ADD COLUMN modules TEXT NOT NULL DEFAULT '';
