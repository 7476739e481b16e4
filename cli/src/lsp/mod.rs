//! `supportlint lsp`: the language server, over standard input and output.
//!
//! Built on `lsp-server` (the synchronous transport of rust-analyzer: two IO
//! threads and channels, no async runtime) and `lsp-types`. One thread runs
//! the loop in `server.rs`: it takes a message, or wakes when an edited
//! document is due to be checked again, so checking never races an edit.
//! The editor features themselves are the library's (`supportlint::ide`);
//! this module converts positions (`position.rs`) and protocol types
//! (`convert.rs`), finds configurations as `check` does, and does the IO.

mod convert;
mod position;
mod server;

use lsp_server::Connection;

use super::exit;

/// Arguments of `lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Talk over standard input and output (the default and only transport;
    /// accepted because editors pass it).
    #[arg(long)]
    stdio: bool,
}

/// Runs the server until the editor says `exit`, or closes the connection.
/// The exit code is 0 after a `shutdown` request, else 1, as the protocol
/// asks; 2 when the connection failed before it was initialized.
pub fn run(args: Args) -> u8 {
    let _ = args.stdio;
    let (connection, io_threads) = Connection::stdio();
    let code = match server::serve(&connection) {
        Ok(clean) => {
            if clean {
                exit::CLEAN
            } else {
                exit::FINDINGS
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            exit::ABNORMAL
        }
    };
    // The writer thread ends when every sender is gone, after it has
    // written what was sent; the reader ended with `exit` or end of input.
    drop(connection);
    if code != exit::ABNORMAL
        && let Err(err) = io_threads.join()
    {
        eprintln!("error: {err}");
        return exit::ABNORMAL;
    }
    code
}
