//! Containing panics: one document's bug must not take a run down.
//!
//! Each document's work runs under [`contain`]; a panic there becomes that document's
//! `internal` error line and the run goes on. The panic hook records where the panic happened
//! (only a hook sees the location) for the error message, and stays quiet for contained panics:
//! the pipeline reports them itself, naming the document. Panics anywhere else get Rust's usual
//! report.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Once, OnceLock};

thread_local! {
    /// Inside `contain` on this thread (nested calls count).
    static CONTAINED: Cell<usize> = const { Cell::new(0) };
    /// What the last contained panic on this thread said, with its location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINED.with(Cell::get) == 0 {
                default(info);
                return;
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            let text = match info.location() {
                Some(l) => format!("panicked at {}:{}:{}: {message}", l.file(), l.line(), l.column()),
                None => format!("panicked: {message}"),
            };
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
        }));
    });
}

/// Run `f`, turning a panic into `Err` with the panic's message and location.
///
/// `f` is taken as unwind-safe: a panicking document's partial state is dropped with it, and the
/// shared state it may touch (the NER model) is only read.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    CONTAINED.with(|c| c.set(c.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(c.get() - 1));
    result.map_err(|_| LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panicked".into()))
}

/// The message of an `internal` error line.
pub fn internal_message(panic: &str) -> String {
    format!(
        "internal error: whosaid panicked on this document ({panic}). This is a bug in whosaid, not a \
         problem with your input; please report it with the document's text (or `scripts/crash-hunt.sh` \
         output) to the whosaid issue tracker. The other documents of the run are not affected."
    )
}

/// A pipeline stage, for the test hook.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stage {
    Tokenize,
    Ner,
    Attribute,
}

/// Test-only hook: `WHOSAID_TEST_PANIC=STAGE:ID` (STAGE: tokenize, ner or attribute) makes that
/// stage panic on the document with that id, so that tests can check containment end to end.
/// Not for use outside tests.
pub fn test_panic_hook(stage: Stage, id: &str) {
    static TARGET: OnceLock<Option<(Stage, String)>> = OnceLock::new();
    let target = TARGET.get_or_init(|| {
        let value = std::env::var("WHOSAID_TEST_PANIC").ok()?;
        let (stage, id) = value.split_once(':')?;
        let stage = match stage {
            "tokenize" => Stage::Tokenize,
            "ner" => Stage::Ner,
            "attribute" => Stage::Attribute,
            _ => return None,
        };
        Some((stage, id.to_string()))
    });
    if let Some((s, target_id)) = target {
        if *s == stage && target_id == id {
            panic!("WHOSAID_TEST_PANIC: injected panic in the {stage:?} stage for document {id}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_gives_its_message_and_location() {
        let err = contain(|| -> usize {
            let v: Vec<usize> = Vec::new();
            v[3]
        })
        .unwrap_err();
        assert!(err.contains("index out of bounds"), "{err}");
        assert!(err.contains("contain.rs"), "{err}");
        assert_eq!(contain(|| 7), Ok(7));
    }
}
