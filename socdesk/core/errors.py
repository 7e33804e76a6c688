"""Errors that carry a message for the user, in Swedish."""


class SocdeskError(Exception):
    """Base class: ``str(err)`` is a complete message for the user."""


class ParseError(SocdeskError, ValueError):
    """Text that is not a valid number, period or code; the message says why."""


def clip(text: object, limit: int = 40) -> str:
    """``text`` for a message: at most ``limit`` characters (a cell can hold a megabyte)."""
    t = str(text)
    return t if len(t) <= limit else t[: limit - 1] + "…"
