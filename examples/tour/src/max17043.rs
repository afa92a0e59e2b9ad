//! The max17043 chapter.

/// Runs the chapter and prints what happened.
pub fn chapter() {
    println!("(the max17043 chapter arrives with its crate)");
}
