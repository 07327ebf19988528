//! The operations guide generated from the runbooks: what each does, how to run it, its params,
//! steps, gates, and what it touches at Heroku; and the reference of every operation.

mod functions;
mod operations;

pub use functions::render as render_functions;
pub use operations::render;
