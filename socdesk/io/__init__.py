"""Importers and exporters, one small module per format."""

# The endings of the files socdesk reads (the wizard's file filter, a file dropped on the window).
READABLE = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".se", ".si", ".sie", ".json")
