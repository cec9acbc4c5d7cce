//! File I/O for edx-matrix, in one place so every command and the server behave the same:
//!
//! - [`read_text`] / [`read_bytes`]: every file the program reads (the matrix, templates, Python
//!   package files, pipelines to validate, key sets) is read through one bounded reader. It
//!   refuses directories, FIFOs, sockets and devices *before* opening them (and opens with
//!   `O_NONBLOCK`, checking again on the open descriptor, so a file swapped for a FIFO in
//!   between cannot block), and refuses anything larger than `MAX_INPUT_BYTES`.
//! - [`replace`]: the atomic edit writer. It writes *through* a symlink to its target, keeps the
//!   target's owner, group and mode, refuses a file the user cannot write, never leaves a torn
//!   file (temporary file + `fsync` + `rename`), and removes the temporary files an edit killed
//!   midway left behind.
//! - [`create`]: output files (`init`, `-o`), created with the mode the umask gives, or `0600`
//!   for secrets ([`Mode::Private`]); [`create_all`]: a directory of them, all or nothing.
//! - [`with_edit_lock`]: the advisory lock edits (and `lock`) take on the matrix file, so they
//!   take turns.
//! - [`write_all`]: several files replaced or created all or nothing (`promote`'s matrix and
//!   lock).
//!
//! The text form of a file (CRLF line endings, a byte-order mark) is not I/O: it is
//! `edx_matrix_formats::text_form`.

mod bounded;
mod edit_lock;
mod error;
mod output;
mod output_set;
mod write_set;
mod writer;

pub use bounded::{check_regular, read_bytes, read_text};
pub use edit_lock::with_edit_lock;
pub use error::Error;
pub use output::{Mode, create};
pub use output_set::{OutputSet, create_all};
pub use write_set::{FileWrite, write_all};
pub use writer::replace;
