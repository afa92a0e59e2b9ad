//! The mcp25625 chapter.

/// Runs the chapter and prints what happened.
pub fn chapter() {
    println!("(the mcp25625 chapter arrives with its crate)");
}
