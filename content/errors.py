"""The one error a bad content file raises: it names the file and the key."""

from __future__ import annotations

from pathlib import Path


class ContentError(Exception):
    """A content file is missing, malformed, or has a wrong or missing key."""


def read_content(path: Path) -> str:
    """A content file's text; a file that cannot be read raises ContentError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
