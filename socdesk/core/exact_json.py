"""JSON with exact amounts: a ``Decimal`` is written as the number literal of its own digits,
never through a binary float (``1234567,8901`` stays ``1234567.8901``; a float would print
``1234567.8901000001`` or lose the last digits of larger amounts). Read it back exactly with
``json.loads(text, parse_float=Decimal)``.

The standard library's encoder only writes a number it got as ``int`` or ``float``, so the
document is written here: the same layout as ``json.dumps(..., indent=2)``, strings and other
scalars by ``json.dumps`` itself."""

from __future__ import annotations

import json
from decimal import Decimal


def number(value: Decimal) -> str:
    """The JSON literal of an exact figure: ``525000``, ``-2006.5``, ``1234567.8901``."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def dumps(value: object, *, indent: int = 2) -> str:
    """``value`` (dicts, lists, tuples, str, int, bool, None and ``Decimal``) as JSON text,
    non-ASCII letters kept as they are."""
    return _encode(value, indent, 0)


def _encode(value: object, indent: int, level: int) -> str:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, float):
        raise TypeError("an amount reached JSON as a binary float; pass the Decimal")
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = " " * (indent * (level + 1))
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_encode(v, indent, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = " " * (indent * (level + 1))
        items = [inner + _encode(v, indent, level + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "]"
    return json.dumps(value, ensure_ascii=False)
