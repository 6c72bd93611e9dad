"""Reading the input: YAML trees, field checks, the file formats, problems at FILE:LINE."""
