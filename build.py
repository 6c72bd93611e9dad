#!/usr/bin/env python3
"""Casebook: build the website and PDF handouts from the case files in cases/.

Usage: python build.py [check | new "Title" | serve] [options]; --help lists them."""
import sys

from casebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
