//! Embeds libtorch's directory as the binaries' rpath so `whosaid` and the tests find the
//! shared libraries without LD_LIBRARY_PATH. torch-sys publishes the directory it linked
//! against (its `links = "tch"` metadata) to crates that depend on it directly.
//! The CLI crate uses this same file as its build script.
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
