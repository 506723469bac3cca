"""Rule families. Importing this package registers every rule."""

from payaudit.rules import (  # noqa: F401
    fatigue,
    heat,
    holiday,
    insurance,
    overtime,
    payment,
    wage,
    wage_monthly,
)
