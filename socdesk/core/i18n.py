"""One translation scheme for every user-visible string.

The UI speaks Swedish; strings are written in Swedish and passed through ``_`` so that a
translation catalogue (gettext) can be installed later without touching call sites.
"""

import gettext

_translation: gettext.NullTranslations = gettext.NullTranslations()


def install(translation: gettext.NullTranslations) -> None:
    global _translation
    _translation = translation


def _(message: str) -> str:
    return _translation.gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The singular or the plural form for ``n`` (``1 ny enhet``, ``3 nya enheter``)."""
    return _translation.ngettext(singular, plural, n)
