"""ics-rules: check integrated care board constitutions against the law and NHS England policy.

Public API::

    import ics_rules
    c = ics_rules.load_constitution("constitutions/example.yaml")   # raises ics_rules.InputError
    rs = ics_rules.load_rulesets()                                    # all bundled; or IDs / paths
    result = ics_rules.evaluate(c, rs, as_of=datetime.date(2026, 11, 22))

Names are imported lazily so that `import ics_rules` stays cheap for the command line.
"""

from __future__ import annotations

from typing import Any

from .errors import IcsRulesError, InputError, RulesetError, UsageError
from .version import __version__

__all__ = [
    "IcsRulesError",
    "InputError",
    "RulesetError",
    "UsageError",
    "__version__",
    "evaluate",
    "load_constitution",
    "load_rulesets",
    "load_waivers",
]


def __getattr__(name: str) -> Any:
    if name == "load_constitution":
        from .loader import load_constitution

        return load_constitution
    if name == "load_rulesets":
        from .rulesets import load_rulesets

        return load_rulesets
    if name == "evaluate":
        from .engine import evaluate

        return evaluate
    if name == "load_waivers":
        from .waivers import load_waivers

        return load_waivers
    raise AttributeError(f"module 'ics_rules' has no attribute {name!r}")
