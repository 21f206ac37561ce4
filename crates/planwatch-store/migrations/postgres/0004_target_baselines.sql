-- The baseline a target names (基期): seeded from its plan's stated value for the same
-- indicator, or set by a person; both or neither. Versions written before this migration
-- name none (NULL): the evaluation then takes the earliest reported value.
-- planwatch-store-sqlite has the same schema.

ALTER TABLE system_target_versions
    ADD COLUMN baseline_year BIGINT CHECK (baseline_year BETWEEN 1900 AND 2200),
    ADD COLUMN baseline_value DOUBLE PRECISION,
    ADD CONSTRAINT system_target_versions_baseline
        CHECK ((baseline_year IS NULL) = (baseline_value IS NULL));
