//! The store on a real SQLite file: the shared story, the four real plans, and opening
//! errors.

mod observation_story;
mod open;
mod plans;
mod story;
mod system_story;
