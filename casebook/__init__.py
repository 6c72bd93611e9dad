"""Casebook: customer-service case files in, a lessons-learned website and PDF handouts out."""

# Part of every content hash in the build cache: a new version never reuses old output.
VERSION = "0.1.0"
