"""One build: reading, caching and parallel work, then publishing output/ whole."""
