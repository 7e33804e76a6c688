"""Importers and exporters, one small module per format."""
