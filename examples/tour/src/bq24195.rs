//! The bq24195 chapter.

/// Runs the chapter and prints what happened.
pub fn chapter() {
    println!("(the bq24195 chapter arrives with its crate)");
}
