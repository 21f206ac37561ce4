//! Judging targets against observations: see `shared/spec/evaluation.md`.
