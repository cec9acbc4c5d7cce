//! The address-space limit of `git ls-remote`: git keeps every ref a remote advertises in memory
//! before printing any, so a remote that streams refs for ever would grow it (and its remote
//! helper) until the timeout — ~200 MB/s, with up to 16 origins listed at once (issue 22). On
//! Linux the child gets `RLIMIT_AS` right after it is spawned (inherited by the helper it
//! starts later); past it git's allocations fail and it exits with an error. Elsewhere only the
//! timeout and the output limit bound it.

use std::process::Child;

/// The address space a `git ls-remote` may use: a real one needs a few tens of megabytes
/// (~300,000 refs fit in the 32 MiB output limit with room to spare).
pub(crate) const LS_REMOTE_ADDRESS_SPACE: u64 = 1024 * 1024 * 1024;

/// Limits `child`'s address space to `bytes`; a failure leaves it unlimited (the timeout and
/// the output limit still apply).
#[cfg(target_os = "linux")]
pub(crate) fn apply(child: &Child, bytes: u64) {
    use rustix::process::{Pid, Resource, Rlimit, prlimit};
    let limit = Rlimit {
        current: Some(bytes),
        maximum: Some(bytes),
    };
    let _ = prlimit(Some(Pid::from_child(child)), Resource::As, limit);
}

/// Not available: the timeout and the output limit bound the run.
#[cfg(not(target_os = "linux"))]
pub(crate) fn apply(_child: &Child, _bytes: u64) {}

/// Limits the size of every file `child` (and the helpers it starts later) writes to `bytes`:
/// past it the write fails (`SIGXFSZ`) and git exits with an error. A failure to set it leaves
/// the timeout as the bound.
#[cfg(target_os = "linux")]
pub(crate) fn apply_file_size(child: &Child, bytes: u64) {
    use rustix::process::{Pid, Resource, Rlimit, prlimit};
    let limit = Rlimit {
        current: Some(bytes),
        maximum: Some(bytes),
    };
    let _ = prlimit(Some(Pid::from_child(child)), Resource::Fsize, limit);
}

/// Not available: the timeout bounds the run.
#[cfg(not(target_os = "linux"))]
pub(crate) fn apply_file_size(_child: &Child, _bytes: u64) {}
