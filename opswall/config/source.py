"""Temporary alias of `opswall.config.live` for opswall/gateway only (issue 19, part 5).

The gateway is being rewritten on another branch; when it imports `opswall.config.live`, delete
this module.
"""

from opswall.config.live import WATCH_INTERVAL, ConfigSource

__all__ = ["WATCH_INTERVAL", "ConfigSource"]
