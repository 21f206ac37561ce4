//! Every page over HTTP, on both databases: the real server on a random port with a fresh
//! database (zero2prod's `spawn_app`).

mod above;
mod access;
mod clerk;
mod dashboard;
mod demo_regions;
mod hardening;
mod once;
mod openapi;
mod pages;
mod reports;
mod review;
mod rounds_api;
mod rounds_form;
mod rounds_manage;
mod support;
mod system;
