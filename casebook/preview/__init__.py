"""The preview server: serve, watch the files, rebuild through the build, reload the page."""
