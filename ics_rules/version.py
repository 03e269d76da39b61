"""The tool's version (kept in one place; also in pyproject.toml)."""

__version__ = "0.1.0"
