//! The whosaid pipeline as a library: reading input documents ([`input`]), running the stages
//! over a stream of them with every document's work contained ([`pipeline`], [`contain`]),
//! and the output line each document gets ([`wire`]).
//! The `whosaid` binary and the Python binding (`crates/python`) both run documents through
//! this one implementation, so their output lines are the same.

pub mod conllu;
pub mod contain;
pub mod html;
pub mod input;
pub mod pipeline;
pub mod wire;
