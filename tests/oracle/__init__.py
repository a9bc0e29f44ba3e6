"""X's own length counter (twitter-text) as a test oracle, and the texts to compare it on."""
