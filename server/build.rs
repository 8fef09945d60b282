//! Makes sure `dist/` exists so the frontend embedding compiles before the
//! frontend was built; the server then shows a "frontend not built" page.

use std::path::PathBuf;

fn main() {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let Some(dist) = manifest_dir.map(|dir| dir.join("..").join("dist")) else {
        return;
    };
    if !dist.exists() {
        // Failing to create it surfaces as the embed macro's own error.
        let _ = std::fs::create_dir_all(&dist);
    }
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-changed=build.rs");
}
