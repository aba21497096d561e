//! One module per subcommand.

pub mod check;
pub mod completions;
pub mod explain;
pub mod fix;
pub mod init;
pub mod list;

use std::io::Write;
use std::path::Path;

use crate::Error;

/// Write to a file, or to standard output when no file is given.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> Result<(), Error> {
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display()))),
        None => {
            let mut stdout = anstream::stdout();
            stdout
                .write_all(text.as_bytes())
                .map_err(|e| Error::Io(e.to_string()))?;
            stdout.flush().map_err(|e| Error::Io(e.to_string()))
        }
    }
}
