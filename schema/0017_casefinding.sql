-- 0017: casefinding (the suspense list): reports of possible cases awaiting a registrar's decision. Each comes from
-- the form, the API or an import (disease-index or pathology hits) and is decided once: reportable (it becomes a new
-- abstract, pre-filled from the report), not reportable (with the reason) or a duplicate of a tumor already abstracted.
CREATE TABLE casefinding (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source                text NOT NULL CHECK (source IN ('disease index', 'pathology', 'radiation oncology', 'medical oncology',
                                                           'admission', 'physician office', 'other')),
    reported_on           date NOT NULL,
    name_last             text CHECK (length(name_last) <= 40),
    name_first            text CHECK (length(name_first) <= 40),
    date_of_birth         text CHECK (date_of_birth ~ '^[0-9]{8}$'),
    sex                   text CHECK (sex ~ '^[0-9]$'),
    medical_record_number text CHECK (length(medical_record_number) <= 15),
    suspected_site        text CHECK (suspected_site ~ '^C[0-9]{3}$'),
    suspected_histology   text CHECK (suspected_histology ~ '^[0-9]{4}(/[0-9])?$'),
    diagnosis             text CHECK (length(diagnosis) <= 200),     -- e.g. the ICD-10-CM code or the pathology line
    status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'reportable', 'not reportable', 'duplicate')),
    reason                text CHECK (length(reason) <= 200),         -- why not reportable
    patient_id            bigint REFERENCES patient (id),
    tumor_id              bigint REFERENCES tumor (id),                -- the abstract made, or the tumor it duplicates
    source_file           text,
    created_by            bigint REFERENCES app_user (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    decided_by            bigint REFERENCES app_user (id),
    decided_at            timestamptz,
    CHECK (status <> 'not reportable' OR reason IS NOT NULL),
    CHECK (status NOT IN ('reportable', 'duplicate') OR tumor_id IS NOT NULL)
);
CREATE INDEX casefinding_pending ON casefinding (reported_on, id) WHERE status = 'pending';
