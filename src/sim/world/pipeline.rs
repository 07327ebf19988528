//! The one pipeline every simulated app is coupled to: apps whose name ends in `staging` at the
//! staging stage, the others at production.

/// The stage of `app` in the pipeline.
pub fn stage_of(app: &str) -> &'static str {
    if app.ends_with("staging") { "staging" } else { "production" }
}
