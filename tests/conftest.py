"""Hypothesis profiles: `default` runs a bounded number of examples without deadlines (the
machine may be busy: a slow example is not a failure); `fuzz` (HYPOTHESIS_PROFILE=fuzz, as
`make fuzz` sets it) runs many more."""

import os

from hypothesis import HealthCheck, settings

_RELAXED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("default", **_RELAXED)
settings.register_profile("fuzz", max_examples=1000, **_RELAXED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
