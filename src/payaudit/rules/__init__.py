"""Rule families. Importing this package registers every rule."""

from payaudit.rules import fatigue, holiday, wage  # noqa: F401
