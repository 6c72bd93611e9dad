"""The plain, typed model of a casebook and what it computes: cases, time ranges, text, the catalog."""
