-- 0006: the application's database role, and drafts kept per author.
--
-- Migrations run as the role that owns the tables. The registry's programs (service and commands) connect as a
-- login role that is a member of `registry_application`: it may read and write the registry's tables but only
-- INSERT and SELECT on the append-only audit_log and abstract_revision, and, owning nothing and being no
-- superuser, it cannot drop or disable their triggers, nor `SET session_replication_role`. The embedded cluster
-- creates such a login role (`registry_app`); on an external server an administrator does (README: database roles):
--     CREATE ROLE registry_app LOGIN PASSWORD '…' IN ROLE registry_application;
-- Roles belong to the whole server: the group role is created once (when the migrating role may create roles)
-- and granted to in every registry database.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry_application') THEN
        CREATE ROLE registry_application NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'could not create role registry_application: a superuser must create it and rerun the grants of migration 0006';
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry_application') THEN
        GRANT USAGE ON SCHEMA public TO registry_application;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO registry_application;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, abstract_revision FROM registry_application;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM registry_application;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO registry_application;
        -- Tables of later migrations: the same rights unless a migration revokes them (append-only tables do).
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO registry_application;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO registry_application;
    END IF;
END
$$;

-- Edit runs over the whole store are recorded as action 'run'.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'read', 'search', 'create', 'update', 'delete', 'import', 'export', 'run', 'sign_in', 'sign_in_failed', 'sign_out'));

-- Drafts belong to their author: look-ups go by tumor and user.
CREATE INDEX abstract_draft_by_tumor_and_user ON abstract_draft (tumor_id, user_id, created_at);

-- Stored edit failures have one shape (the workflow layer's EditFailureRecord): {"edit", "name", "severity",
-- "message", "items", "overridden"}. Rows written by earlier command-line runs named the edit "editId" and carried
-- a tumor index; they are rewritten.
UPDATE edit_result SET failures = (
    SELECT coalesce(jsonb_agg(jsonb_build_object('edit', f->>'editId', 'name', f->>'name', 'severity', f->>'severity',
                                                 'message', f->>'message', 'items', f->'items', 'overridden', f->'overridden')
                              ORDER BY o), '[]'::jsonb)
    FROM jsonb_array_elements(failures) WITH ORDINALITY AS x(f, o))
WHERE jsonb_typeof(failures) = 'array' AND EXISTS (SELECT FROM jsonb_array_elements(failures) f WHERE f ? 'editId');
