"""The one error a bad content file raises: it names the file and the key."""


class ContentError(Exception):
    """A content file is missing, malformed, or has a wrong or missing key."""
