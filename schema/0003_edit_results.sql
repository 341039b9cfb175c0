-- 0003: edit results per tumor and edit set (the latest run), so work lists can show "failing edits", and the
-- runs themselves.
CREATE TABLE edit_run (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edit_set       text NOT NULL,
    run_by         text NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    tumors_checked integer NOT NULL DEFAULT 0,
    tumors_failing integer NOT NULL DEFAULT 0
);

CREATE TABLE edit_result (
    tumor_id   bigint NOT NULL REFERENCES tumor (id) ON DELETE CASCADE,
    edit_set   text NOT NULL,
    run_id     bigint REFERENCES edit_run (id),
    checked_at timestamptz NOT NULL DEFAULT now(),
    errors     integer NOT NULL,
    warnings   integer NOT NULL,
    overridden integer NOT NULL,
    failures   jsonb NOT NULL,   -- [{"edit": "IF25", "severity": "error", "message": "...", "items": [...], "overridden": false}]
    PRIMARY KEY (tumor_id, edit_set)
);
CREATE INDEX edit_result_failing ON edit_result (edit_set, tumor_id) WHERE errors > 0;
