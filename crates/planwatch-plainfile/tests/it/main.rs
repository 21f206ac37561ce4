//! Integration tests of the plain-file form.
