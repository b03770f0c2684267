"""Turning an edition into files: JSON, HTML and PDF."""
