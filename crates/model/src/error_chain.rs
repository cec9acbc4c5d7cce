//! Error messages with their causes, the one way every crate prints an error chain.

/// Returns an error's message followed by each of its causes, joined by `: `
/// (`cannot listen on `127.0.0.1:80`: Permission denied (os error 13)`).
///
/// For this to print each cause once, an error that has a `source` must not repeat it in its own
/// message.
///
/// ```
/// use edx_matrix_model::error_chain;
///
/// #[derive(Debug)]
/// struct Outer(std::io::Error);
/// impl std::fmt::Display for Outer {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("cannot read `x`")
///     }
/// }
/// impl std::error::Error for Outer {
///     fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
///         Some(&self.0)
///     }
/// }
/// let err = Outer(std::io::Error::other("disk on fire"));
/// assert_eq!(error_chain(&err), "cannot read `x`: disk on fire");
/// ```
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
