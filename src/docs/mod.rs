//! The operations guide generated from the runbooks: what each does, how to run it, its params,
//! steps, gates, and what it touches at Heroku.

pub mod functions;
mod operations;

pub use operations::render;
