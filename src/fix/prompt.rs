//! The `git add -p`-style question asked for each fix.

use std::io::{self, BufRead, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Apply this fix.
    Yes,
    /// Skip this fix.
    No,
    /// Apply this fix and every remaining one without asking.
    All,
    /// Stop asking; keep what was accepted so far.
    Quit,
}

pub const HELP: &str = "y - apply this fix\nn - skip this fix\na - apply this fix and all remaining fixes\nq - quit; apply the fixes accepted so far\n? - print help\n";

/// Ask until a valid answer; end of input counts as quit.
pub fn ask(input: &mut dyn BufRead, out: &mut dyn Write, question: &str) -> io::Result<Answer> {
    loop {
        write!(out, "{question} [y,n,a,q,?]? ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(Answer::Quit);
        }
        match line.trim() {
            "y" | "Y" | "yes" => return Ok(Answer::Yes),
            "n" | "N" | "no" => return Ok(Answer::No),
            "a" | "A" | "all" => return Ok(Answer::All),
            "q" | "Q" | "quit" => return Ok(Answer::Quit),
            _ => write!(out, "{HELP}")?,
        }
    }
}

/// A yes/no question; anything but yes (end of input too) is no.
pub fn confirm(input: &mut dyn BufRead, out: &mut dyn Write, question: &str) -> io::Result<bool> {
    write!(out, "{question} [y,n]? ")?;
    out.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        writeln!(out)?;
        return Ok(false);
    }
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_answers_and_reprompts_on_help() {
        let mut input = io::Cursor::new("?\nmaybe\nn\n");
        let mut out = Vec::new();
        assert_eq!(ask(&mut input, &mut out, "Apply?").unwrap(), Answer::No);
        let shown = String::from_utf8(out).unwrap();
        assert_eq!(shown.matches("Apply? [y,n,a,q,?]? ").count(), 3);
        assert_eq!(shown.matches("y - apply this fix").count(), 2);
    }

    #[test]
    fn end_of_input_quits() {
        let mut input = io::Cursor::new("");
        assert_eq!(
            ask(&mut input, &mut Vec::new(), "Apply?").unwrap(),
            Answer::Quit
        );
    }
}
