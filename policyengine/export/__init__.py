"""Exports of results in formats other tools read: spreadsheets (CSV, XLSX) of findings, SARIF
of validation problems, OSCAL catalog and assessment results.

Each function takes models (an :class:`~policyengine.models.Assessment`, problems, a loaded
workspace) and returns text or bytes; writing is the caller's job (the CLI, or a script).
"""
