"""The website: every page of output/site rendered from the model."""
