"""Rule families. Importing this package registers every rule."""

from payaudit.rules import (  # noqa: F401
    deduction,
    fatigue,
    heat,
    holiday,
    insurance,
    overtime,
    parttime,
    payment,
    wage,
)
