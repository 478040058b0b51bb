"""Hold a process to a share of one core with the kernel's CFS bandwidth control, as a
container's `cpus:` limit does (compose `cpus: 0.5`, Kubernetes `limits.cpu: 500m`).

A scale-out benchmark on a 2-core machine needs this: without a limit, one gateway replica can
already use the cores the second one would get, and the figure measures the machine, not the
design. With each replica held to the same share, adding a replica adds capacity the way adding
a container does. Needs root and a cgroup `cpu` controller (v1 `cpu.cfs_quota_us` or v2
`cpu.max`); `CpuLimit.available()` says whether this machine has them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
V1 = ROOT / "cpu"
PERIOD_US = (
    10_000  # a short period: a throttled replica waits milliseconds, not a tenth of a second
)


def _v2_ready() -> bool:
    controllers = ROOT / "cgroup.subtree_control"
    return controllers.exists() and "cpu" in controllers.read_text().split()


class CpuLimit:
    def __init__(self, name: str, cpus: float) -> None:
        self.cpus = cpus
        self.v1 = (V1 / "cpu.cfs_quota_us").exists()
        self.group = (V1 if self.v1 else ROOT) / name

    @staticmethod
    def available() -> bool:
        parent = V1 if (V1 / "cpu.cfs_quota_us").exists() else ROOT
        try:
            probe = parent / "opswall-probe"
            probe.mkdir(exist_ok=True)
            probe.rmdir()
        except OSError:
            return False
        return parent == V1 or _v2_ready()

    def create(self) -> CpuLimit:
        self.group.mkdir(exist_ok=True)
        quota = int(self.cpus * PERIOD_US)
        if self.v1:
            (self.group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (self.group / "cpu.cfs_quota_us").write_text(str(quota))
        else:
            (self.group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        return self

    def add(self, pid: int) -> None:
        (self.group / "cgroup.procs").write_text(str(pid))

    def remove(self) -> None:
        """Move anything left to the root group and delete the group."""
        with contextlib.suppress(OSError):
            for pid in (self.group / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):
                    (self.group.parent / "cgroup.procs").write_text(pid)
            self.group.rmdir()
