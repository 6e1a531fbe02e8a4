//! The plugin's rpath: libtorch's directory as torch-sys linked it (a checkout's .venv, so the
//! binary and the tests find it without LD_LIBRARY_PATH), and `$ORIGIN/../torch/lib`, where
//! PyPI's torch wheel puts it beside an installed `whosaid` package (the plugin ships as
//! site-packages/whosaid/libwhosaid_torch.so). torch-sys publishes the directory it linked
//! against (its `links = "tch"` metadata) to crates that depend on it directly.
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    println!("cargo:rustc-link-arg-cdylib=-Wl,-rpath,$ORIGIN/../torch/lib");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg-cdylib=-Wl,-rpath,{dir}");
    }
}
