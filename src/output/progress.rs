//! A progress line on stderr for long `check` runs: shown after a second, only on a terminal
//! and never in CI, so piped output and logs stay clean.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a run goes before the line appears.
const DELAY: Duration = Duration::from_secs(1);
/// How often the shown line is refreshed.
const TICK: Duration = Duration::from_millis(250);

/// The line's owner: [`Progress::stage`] changes what it says; dropping it clears the line.
pub struct Progress {
    stage: Arc<Mutex<String>>,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Start the timer. Does nothing (and never prints) unless stderr is a terminal and the
    /// `CI` environment variable is unset.
    pub fn start(stage: &str) -> Self {
        let stage = Arc::new(Mutex::new(stage.to_string()));
        if !wanted(
            std::io::stderr().is_terminal(),
            std::env::var_os("CI").is_some(),
        ) {
            return Self {
                stage,
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shared = Arc::clone(&stage);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut wait = DELAY;
            let mut shown = false;
            loop {
                match stopped.recv_timeout(wait) {
                    Err(RecvTimeoutError::Timeout) => {}
                    // Stopped (or the owner is gone): clear what was shown.
                    _ => {
                        if shown {
                            let _ = write!(std::io::stderr(), "\r\x1b[2K");
                        }
                        return;
                    }
                }
                let text = shared.lock().map(|s| s.clone()).unwrap_or_default();
                let secs = started.elapsed().as_secs_f32();
                let _ = write!(std::io::stderr(), "\r\x1b[2Kharden: {text} ({secs:.1} s)");
                let _ = std::io::stderr().flush();
                shown = true;
                wait = TICK;
            }
        });
        Self {
            stage,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Say what the run is doing now.
    pub fn stage(&self, text: &str) {
        if let Ok(mut stage) = self.stage.lock() {
            *stage = text.to_string();
        }
    }
}

/// Whether a progress line may be shown: on a terminal, outside CI.
fn wanted(stderr_is_terminal: bool, in_ci: bool) -> bool {
    stderr_is_terminal && !in_ci
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_on_a_terminal_outside_ci() {
        assert!(wanted(true, false));
        assert!(!wanted(true, true));
        assert!(!wanted(false, false));
        assert!(!wanted(false, true));
    }

    #[test]
    fn a_short_run_prints_nothing_and_stops_at_once() {
        let started = Instant::now();
        let progress = Progress::start("walking the project");
        progress.stage("checking 3 files");
        drop(progress);
        assert!(started.elapsed() < DELAY);
    }
}
