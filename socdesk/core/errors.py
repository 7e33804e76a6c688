"""Errors that carry a message for the user, in Swedish."""


class SocdeskError(Exception):
    """Base class: ``str(err)`` is a complete message for the user."""


class ParseError(SocdeskError, ValueError):
    """Text that is not a valid number, period or code; the message says why."""
