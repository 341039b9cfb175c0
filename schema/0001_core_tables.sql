-- 0001: the registry's core tables.
-- Patients and tumors keep typed columns for the fields that look-ups, edits and reports use, and every
-- NAACCR item of the abstract in `items` (jsonb keyed by naaccrId), so a new dictionary version needs no
-- schema change. NAACCR dates are kept as the standard's CCYYMMDD text because they may be partial.

CREATE TABLE app_user (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username            text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{2,64}$'),
    display_name        text NOT NULL DEFAULT '',
    password_hash       text NOT NULL,
    role                text NOT NULL CHECK (role IN ('admin', 'registrar', 'reviewer', 'submitter')),
    disabled            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE patient (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registry_id           text NOT NULL DEFAULT '',   -- NAACCR 40: whose patient id numbering this is
    patient_id_number     text NOT NULL,              -- NAACCR 20
    name_last             text,                       -- NAACCR 2230 (PHI)
    name_first            text,                       -- NAACCR 2240 (PHI)
    date_of_birth         text,                       -- NAACCR 240, CCYY[MM[DD]]
    sex_assigned_at_birth text,                       -- NAACCR 225
    vital_status          text,                       -- NAACCR 1760
    date_of_last_contact  text,                       -- NAACCR 1750
    items                 jsonb NOT NULL DEFAULT '{}',
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (registry_id, patient_id_number)
);
CREATE INDEX patient_by_name_and_birth ON patient (lower(name_last), lower(name_first), date_of_birth);
CREATE INDEX patient_by_birth ON patient (date_of_birth);

CREATE TABLE tumor (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id               bigint NOT NULL REFERENCES patient (id),
    tumor_key                text NOT NULL,           -- identity within the patient (see RegistryStore docs)
    sequence_number_central  text,                    -- NAACCR 380
    sequence_number_hospital text,                    -- NAACCR 560
    primary_site             text,                    -- NAACCR 400
    laterality               text,                    -- NAACCR 410
    histologic_type          text,                    -- NAACCR 522
    behavior                 text,                    -- NAACCR 523
    date_of_diagnosis        text,                    -- NAACCR 390, CCYY[MM[DD]]
    diagnosis_year           smallint,
    class_of_case            text,                    -- NAACCR 610
    summary_stage_2018       text,                    -- NAACCR 764
    reporting_facility       text,                    -- NAACCR 540
    accession_number         text,                    -- NAACCR 550
    items                    jsonb NOT NULL DEFAULT '{}',
    status                   text NOT NULL DEFAULT 'complete' CHECK (status IN ('incomplete', 'complete', 'reviewed')),
    version                  integer NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (patient_id, tumor_key)
);
CREATE INDEX tumor_by_site ON tumor (primary_site);
CREATE INDEX tumor_by_histology ON tumor (histologic_type);
CREATE INDEX tumor_by_diagnosis_date ON tumor (date_of_diagnosis);
CREATE INDEX tumor_by_diagnosis_year_and_site ON tumor (diagnosis_year, primary_site);

-- Every change of an abstract, append-only: which items changed from what to what, by whom, from where.
CREATE TABLE abstract_revision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id  bigint NOT NULL REFERENCES patient (id),
    tumor_id    bigint REFERENCES tumor (id),
    version     integer NOT NULL,
    changed_by  bigint REFERENCES app_user (id),
    changed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    source      text NOT NULL CHECK (source IN ('form', 'api', 'import', 'correction')),
    changes     jsonb NOT NULL   -- {"naaccrId": {"old": "...", "new": "..."}}
);
CREATE INDEX abstract_revision_by_tumor ON abstract_revision (tumor_id, version);
CREATE INDEX abstract_revision_by_patient ON abstract_revision (patient_id, changed_at);

-- Every read and change of PHI, append-only.
CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    user_id        bigint REFERENCES app_user (id),
    username       text NOT NULL,
    action         text NOT NULL CHECK (action IN ('read', 'search', 'create', 'update', 'delete', 'import',
                                                   'export', 'sign_in', 'sign_in_failed', 'sign_out')),
    entity         text NOT NULL,
    entity_id      bigint,
    remote_address text,
    detail         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_by_user ON audit_log (user_id, at);

-- Append-only tables refuse UPDATE, DELETE and TRUNCATE for every role the application uses.
CREATE FUNCTION refuse_change_to_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only_table();
CREATE TRIGGER audit_log_is_not_truncated BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_append_only_table();
CREATE TRIGGER abstract_revision_is_append_only BEFORE UPDATE OR DELETE ON abstract_revision
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only_table();
CREATE TRIGGER abstract_revision_is_not_truncated BEFORE TRUNCATE ON abstract_revision
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_append_only_table();
