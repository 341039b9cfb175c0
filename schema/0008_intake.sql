-- 0008: the intake ledger of a central registry: every file received from a facility (who sent it, its checksum, what
-- it held, what the import did, how it fared under the central registry's incoming edits) and the records that failed
-- them (identified by patient id number and tumor key, with the edits; no patient data), for the rejection report.
-- A file with a checksum already received is refused unless forced.

CREATE TABLE intake (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility       text NOT NULL,
    registry_id    text NOT NULL,                -- NAACCR 40 of the file's patients
    received_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    received_by    bigint REFERENCES app_user (id),
    received_by_name text NOT NULL,
    file_name      text NOT NULL,
    sha256         text NOT NULL,
    record_type    text NOT NULL,
    naaccr_version text NOT NULL,
    patients_read  integer NOT NULL,
    tumors_read    integer NOT NULL,
    tumors_new     integer NOT NULL,
    tumors_changed integer NOT NULL,
    tumors_unchanged integer NOT NULL,
    patients_rejected integer NOT NULL,
    edit_set       text NOT NULL,
    tumors_failing integer NOT NULL,
    edit_summary   jsonb NOT NULL DEFAULT '{}'   -- {"editId": tumors failing it}
);
CREATE INDEX intake_by_facility ON intake (facility, id);
CREATE INDEX intake_by_checksum ON intake (sha256);

CREATE TABLE intake_rejection (
    intake_id         bigint NOT NULL REFERENCES intake (id),
    patient_id_number text NOT NULL,
    tumor_key         text NOT NULL,
    failures          jsonb NOT NULL,
    PRIMARY KEY (intake_id, patient_id_number, tumor_key)
);

CREATE TRIGGER intake_is_append_only BEFORE UPDATE OR DELETE ON intake
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only_table();
CREATE TRIGGER intake_rejection_is_append_only BEFORE UPDATE OR DELETE ON intake_rejection
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only_table();
