"""Host matching: constraints and score, on-demand suggestions, optimal rounds."""
