"""Repository-wide pytest set-up: the documentation (docs/, spec/, README.md, CONTRIBUTING.md) runs
as tests through the plugin in tests/docs_harness.py; test fixtures live in tests/conftest.py."""

pytest_plugins = ("docs_harness",)
