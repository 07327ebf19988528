//! How much heap the process holds, counted by the `cap` crate's wrapper around the system
//! allocator, so that the sandbox can stop a script whose values grow without bound (Rhai limits
//! each value, not their sum). The wrapper never refuses an allocation itself: the budget decides.

use std::alloc::System;

use cap::Cap;

/// Every allocation of the process goes through it, and is counted.
#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Bytes allocated and not yet freed.
pub fn in_use() -> usize {
    ALLOCATOR.allocated()
}
