"""Browser tests: a package, so its conftest is not imported as the top-level `conftest` that other tests import helpers from."""
