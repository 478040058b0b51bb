"""Temporary alias of `opswall.control.alert_rules` for opswall/gateway only (issue 19, part 5).

The gateway is being rewritten on another branch; when it imports `opswall.control.alert_rules`,
delete this module.
"""

from opswall.control.alert_rules import RuleEngine, Transition

__all__ = ["RuleEngine", "Transition"]
