"""Writing case files for authors: the commented template of `new`."""
