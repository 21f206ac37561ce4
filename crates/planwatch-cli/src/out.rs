//! Printing to stdout that ends quietly when the reader goes away.
//!
//! `println!` panics when stdout is a closed pipe (`planwatch plan parse … | head`), and
//! Rust ignores SIGPIPE, so the write fails with `BrokenPipe` instead of ending the
//! process as it would a C program. The commands print through [`out!`] and [`outln!`],
//! which return the `io::Error`; `main` takes a `BrokenPipe` anywhere in the error's
//! chain as the end of the output and exits with success, as ripgrep does. Restoring
//! SIGPIPE's default would need `libc` and would also reach the server's own sockets.

use std::io;

/// `print!` that returns `io::Result<()>` instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `println!` that returns `io::Result<()>` instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// Whether the command failed only because stdout's reader went away.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let io = e.downcast_ref::<io::Error>().or_else(|| {
            e.downcast_ref::<planwatch_plainfile::PlainFileError>()
                .and_then(|e| e.io_error())
        });
        io.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
