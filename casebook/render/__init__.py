"""What every renderer shares: the template environment and the reproducible build date."""
