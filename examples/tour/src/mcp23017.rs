//! The mcp23017 chapter.

/// Runs the chapter and prints what happened.
pub fn chapter() {
    println!("(the mcp23017 chapter arrives with its crate)");
}
