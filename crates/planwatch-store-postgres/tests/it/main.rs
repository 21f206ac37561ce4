//! The store on the real local PostgreSQL server, each test in a database of its own: the
//! shared story, the four real plans, and opening errors.

mod observation_story;
mod open;
mod plans;
mod story;
mod system_story;
