-- 0007: the submission ledger. One row per file generated for a destination (state central registry, NCDB, NPCR,
-- SEER, a research extract), one row per tumor it carried with the hash of its content at export, the tumors held back
-- by the destination's edits, and the file itself (so a lost file can be re-created byte for byte). The next
-- submission to a destination sends the tumors that are new or changed since its last accepted submission.

CREATE TABLE submission (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination       text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    snapshot_at       timestamptz NOT NULL DEFAULT now(),   -- the generating transaction's start: what it could see
    created_by        bigint REFERENCES app_user (id),
    created_by_name   text NOT NULL,
    file_name         text NOT NULL,
    sha256            text NOT NULL DEFAULT '',
    record_type       text NOT NULL CHECK (record_type IN ('A', 'M', 'C', 'I')),
    naaccr_version    text NOT NULL,
    edit_set          text NOT NULL,
    patients          integer NOT NULL DEFAULT 0,
    tumors_new        integer NOT NULL DEFAULT 0,
    tumors_changed    integer NOT NULL DEFAULT 0,
    tumors_unchanged  integer NOT NULL DEFAULT 0,
    tumors_held       integer NOT NULL DEFAULT 0,
    edit_summary      jsonb NOT NULL DEFAULT '{}',   -- {"editId": tumors held by it}
    status            text NOT NULL DEFAULT 'generated' CHECK (status IN ('generated', 'sent', 'accepted', 'rejected')),
    status_changed_at timestamptz,
    status_reason     text,
    resent_from       bigint REFERENCES submission (id)
);
CREATE INDEX submission_by_destination ON submission (destination, status, id);

-- What each submission carried: the tumor, its identity in the file (patient id number and tumor key, kept so a tumor
-- deleted later can still be named in the deletion report) and the SHA-256 of its content as exported.
CREATE TABLE submission_tumor (
    submission_id     bigint NOT NULL REFERENCES submission (id),
    tumor_id          bigint NOT NULL,
    patient_id_number text NOT NULL,
    tumor_key         text NOT NULL,
    content_hash      text NOT NULL,
    change            text NOT NULL CHECK (change IN ('new', 'changed', 'resent')),
    PRIMARY KEY (submission_id, tumor_id)
);
CREATE INDEX submission_tumor_by_tumor ON submission_tumor (tumor_id, submission_id);

-- Tumors a submission held back and why (the failing edits' ids and messages; no patient data).
CREATE TABLE submission_held (
    submission_id     bigint NOT NULL REFERENCES submission (id),
    tumor_id          bigint NOT NULL,
    patient_id_number text NOT NULL,
    tumor_key         text NOT NULL,
    failures          jsonb NOT NULL,
    PRIMARY KEY (submission_id, tumor_id)
);

-- The file as written, in chunks, for `registry submit --resend`.
CREATE TABLE submission_file (
    submission_id bigint NOT NULL REFERENCES submission (id),
    chunk         integer NOT NULL,
    bytes         bytea NOT NULL,
    PRIMARY KEY (submission_id, chunk)
);

-- An incremental submission reads only patients changed since the destination's last accepted one (and the newest
-- diagnosis year, for destinations that take it whole): these indexes find them without reading the registry.
CREATE INDEX patient_by_updated_at ON patient (updated_at);
CREATE INDEX tumor_by_updated_at ON tumor (updated_at);

-- A submission's rows never change once written (its status does): the ledger of what was sent is append-only.
CREATE TRIGGER submission_tumor_is_append_only BEFORE UPDATE OR DELETE ON submission_tumor
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only_table();
CREATE TRIGGER submission_file_is_append_only BEFORE UPDATE OR DELETE ON submission_file
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only_table();

-- Generating and marking submissions are audited as 'submit'.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'read', 'search', 'create', 'update', 'delete', 'import', 'export', 'run', 'submit', 'sign_in', 'sign_in_failed', 'sign_out'));
