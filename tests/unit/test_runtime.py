"""What `opswall run` starts, and the run file a second shell finds it by."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from opswall.runtime.demo import names_demo_sources
from opswall.runtime.runfile import RunningWall, read_run_file, remove_run_file, write_run_file
from opswall.runtime.supervisor import _parts
from opswall.settings import Settings
from tests.conftest import FIXTURES

ROOT = Path(__file__).parents[2]


def test_only_a_config_that_reads_the_stand_ins_gets_them() -> None:
    """The demo's config names `${OPSWALL_DEMO_...}`; a wall of one's own does not, and its run
    starts web, gateway and feeds only (no stand-ins refusing connections beside it)."""
    assert names_demo_sources(ROOT / "wall_config.yaml")
    assert not names_demo_sources(FIXTURES / "minimal.yaml")
    own = Settings(config_path=FIXTURES / "minimal.yaml")
    assert [p.name for p in _parts(own, {}, demo_sources=False)] == ["gateway", "feeds", "web"]
    demo_env = {"OPSWALL_DEMO_MEDIA": "http://127.0.0.1:1"}
    names = [p.name for p in _parts(own, demo_env, demo_sources=True)]
    assert names == ["gateway", "feeds", "web", "demo-sources", "demo-media"]


def test_run_file_names_a_live_wall_only(tmp_path: Path) -> None:
    """A run file is read back while its process lives, owner-only; a dead pid's is ignored."""
    env = {"OPSWALL_REDIS_URL": "redis://127.0.0.1:1/0", "OPSWALL_DEMO_PUSH_TOKEN": "secret"}
    path = write_run_file(tmp_path, RunningWall(os.getpid(), "http://localhost:8050", env))
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_run_file(tmp_path) == RunningWall(os.getpid(), "http://localhost:8050", env)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    write_run_file(tmp_path, RunningWall(int(dead.stdout), "http://localhost:8050", env))
    assert read_run_file(tmp_path) is None
    (tmp_path / "run.json").write_text("{not json", encoding="utf-8")
    assert read_run_file(tmp_path) is None
    remove_run_file(tmp_path)
    assert read_run_file(tmp_path) is None and not path.exists()
