"""quellenlage: sourced claim reports.

    >>> import quellenlage
    >>> report = quellenlage.analyze("Laut Insidern soll der Minister 22 Berater entlassen haben.")
    >>> report.to_json()
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["analyze", "__version__"]


def analyze(source, **kwargs):
    """Analyse one document (text, path or URL) and return a :class:`quellenlage.report.Report`."""
    from quellenlage.api import analyze as _analyze

    return _analyze(source, **kwargs)
