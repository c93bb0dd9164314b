"""What a test asks of a Fire TV: privacy consent, home rows, PMR, playback vocabulary, app profiles, remote."""
