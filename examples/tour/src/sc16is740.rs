//! The sc16is740 chapter.

/// Runs the chapter and prints what happened.
pub fn chapter() {
    println!("(the sc16is740 chapter arrives with its crate)");
}
