"""The command line: a thin Typer layer over quiet library functions. Only this package prints."""
