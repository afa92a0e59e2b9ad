//! The pca9685 chapter.

/// Runs the chapter and prints what happened.
pub fn chapter() {
    println!("(the pca9685 chapter arrives with its crate)");
}
