"""socdesk – budgetuppföljning och verksamhetsstatistik för socialnämnder."""

__version__ = "0.1.0"
