//! One module per subcommand.

pub mod advisories;
pub mod check;
pub mod completions;
pub mod explain;
pub mod fix;
pub mod init;
pub mod list;
pub mod project;

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use crate::Error;

/// How `fix` and `init` deliver their changes: a patch, everything, or one by one on a terminal.
pub enum Mode<'io> {
    Diff,
    Yes,
    Interactive {
        input: &'io mut dyn BufRead,
        output: &'io mut dyn Write,
    },
}

impl<'io> Mode<'io> {
    /// `--diff`, `--yes`, or questions on a terminal; without a terminal to ask on, a usage
    /// error naming `what` is changed ("fixes", "files").
    pub fn from_flags(
        diff: bool,
        yes: bool,
        what: &str,
        input: &'io mut dyn BufRead,
        output: &'io mut dyn Write,
    ) -> Result<Self, Error> {
        if diff {
            Ok(Self::Diff)
        } else if yes {
            Ok(Self::Yes)
        } else if std::io::stdin().is_terminal() {
            Ok(Self::Interactive { input, output })
        } else {
            Err(Error::Usage(format!(
                "standard input is not a terminal, so {what} cannot be confirmed one by one: pass --yes to write them, or --diff to print them"
            )))
        }
    }
}

/// Write to a file, or to standard output when no file is given, as `write` produces it
/// (buffered, never whole in memory).
pub(crate) fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match output {
        Some(path) => {
            let cannot =
                |e: std::io::Error| Error::Io(format!("cannot write {}: {e}", path.display()));
            let file = std::fs::File::create(path).map_err(cannot)?;
            let mut out = std::io::BufWriter::new(file);
            write(&mut out).map_err(cannot)?;
            out.flush().map_err(cannot)
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out).map_err(|e| Error::Io(e.to_string()))?;
            out.flush().map_err(|e| Error::Io(e.to_string()))
        }
    }
}

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
