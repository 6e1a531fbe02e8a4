//! The extension links libtorch from PyPI's torch wheel. Installed, it lives at
//! site-packages/whosaid/_whosaid.abi3.so with torch at site-packages/torch, so its rpath is
//! relative to itself (no path of the build machine is kept). ONNX Runtime is loaded at run
//! time (the package points ORT_DYLIB_PATH at the onnxruntime wheel's library).
fn main() {
    println!("cargo:rustc-link-arg-cdylib=-Wl,-rpath,$ORIGIN/../torch/lib");
}
