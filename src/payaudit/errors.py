"""Errors that stop a run (exit code 2), each with one sentence naming what is wrong."""


class PayauditError(Exception):
    """A run that cannot proceed: bad usage, config, unreadable file, missing column.

    The message is one sentence shown to the user as is; the CLI exits with code 2.
    """


class ConfigError(PayauditError):
    """The config file or an option is invalid."""


class InputError(PayauditError):
    """An input file cannot be read or lacks a required column."""
