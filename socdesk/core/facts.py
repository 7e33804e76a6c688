"""Scenarios and stated facts: the domain's record of "this figure was stated for that"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _
from socdesk.core.periods import Period
from socdesk.core.values import Value


class Scenario(StrEnum):
    ACTUAL = "utfall"
    BUDGET = "budget"
    FORECAST = "prognos"
    TARGET = "mal"
    # Stated in a source only to be checked against the figures above; never computed from.
    VARIANCE = "avvikelse"
    FORECAST_VARIANCE = "prognosavvikelse"
    ATTAINMENT = "maluppfyllelse"

    @property
    def is_stated_check(self) -> bool:
        return self in (Scenario.VARIANCE, Scenario.FORECAST_VARIANCE, Scenario.ATTAINMENT)

    @property
    def label(self) -> str:
        return {
            Scenario.ACTUAL: _("Utfall"),
            Scenario.BUDGET: _("Budget"),
            Scenario.FORECAST: _("Prognos"),
            Scenario.TARGET: _("Mål"),
            Scenario.VARIANCE: _("Avvikelse"),
            Scenario.FORECAST_VARIANCE: _("Prognosavvikelse"),
            Scenario.ATTAINMENT: _("Måluppfyllelse"),
        }[self]

    @classmethod
    def parse(cls, text: str) -> Scenario:
        t = text.strip().lower().replace("å", "a")
        if t in cls._value2member_map_:
            return cls(t)
        raise ParseError(
            _(
                "Okänt scenario ”{t}”: använd utfall, budget, prognos, mal, avvikelse, "
                "prognosavvikelse eller maluppfyllelse."
            ).format(t=clip(text))
        )


GENDERS = ("", "K", "M")


@dataclass(frozen=True, slots=True)
class FactKey:
    unit: str
    measure: str
    scenario: Scenario
    period: Period
    version: str = ""
    gender: str = ""
    group: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    key: FactKey
    value: Value
    comment: str = ""
    source: str = ""
