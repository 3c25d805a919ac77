"""Pipeline stages: one module per stage, each adding one layer to the Document."""
