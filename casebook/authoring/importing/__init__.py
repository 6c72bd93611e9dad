"""`build.py import FILE`: a draft case from a conversation export (a table or a thread)."""
