-- 0004: signed-in sessions of the web workbench and API, and drafts kept when a save loses a version conflict.
CREATE TABLE user_session (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash     bytea NOT NULL UNIQUE,          -- sha256 of the cookie token; the token itself is never stored
    user_id        bigint NOT NULL REFERENCES app_user (id),
    csrf_token     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    remote_address text,
    revoked        boolean NOT NULL DEFAULT false
);
CREATE INDEX user_session_by_user ON user_session (user_id);

-- A save that lost an optimistic-locking conflict: what the registrar typed, kept so nothing is lost.
CREATE TABLE abstract_draft (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tumor_id     bigint NOT NULL REFERENCES tumor (id),
    user_id      bigint REFERENCES app_user (id),
    base_version integer NOT NULL,
    items        jsonb NOT NULL,
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX abstract_draft_by_tumor ON abstract_draft (tumor_id, created_at);
