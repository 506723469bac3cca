"""The one interface every report format implements, and the registry of formats by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO, ClassVar

from payaudit.errors import ConfigError

if TYPE_CHECKING:
    from .model import Report


class Format:
    name: ClassVar[str]  # as given to --format
    suffix: ClassVar[str]  # file suffix when --output names a folder or a base path
    binary: ClassVar[bool] = False  # cannot go to a terminal's stdout

    def write(self, report: Report, out: BinaryIO) -> None:
        raise NotImplementedError


FORMATS: dict[str, type[Format]] = {}


def register(cls: type[Format]) -> type[Format]:
    FORMATS[cls.name] = cls
    return cls


def get(name: str) -> Format:
    try:
        return FORMATS[name.lower()]()
    except KeyError:
        choices = ", ".join(FORMATS)
        raise ConfigError(f"Unknown report format '{name}'; choose from {choices}.") from None
