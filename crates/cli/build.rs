//! Links the `edx-matrix` binary as a position-dependent executable on Linux (GNU).
//!
//! A PIE of this size has about 100,000 relative relocations that the dynamic loader applies at
//! every start: about 1M instructions, as much as a whole `resolve` of a real estate
//! (docs/benchmarks.md, "Start-up"). Linked without PIE, the linker resolves them once. Only
//! the binary's link changes (the same PIC objects; test binaries untouched); the cost is a
//! fixed load address for the binary itself (shared libraries are still randomised).

fn main() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
