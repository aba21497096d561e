"""The app checks its own dependencies at start-up against the bundled requirements.txt."""
