"""The table contracts (one TOML file per input table) and the JSON Schema of the report, installed as
the package `payaudit.schemas`: data only."""
