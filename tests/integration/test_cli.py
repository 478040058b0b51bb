"""The opswall command as an operator meets it: check, and the one-command demo."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from opswall.runtime.ports import free_port
from opswall.runtime.processes import wait_healthy
from tests.conftest import FIXTURES

ROOT = Path(__file__).parents[2]


def opswall(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opswall", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )


def test_check_accepts_the_demo_config() -> None:
    """`opswall check` prints a one-line summary and exits 0 for a valid config."""
    result = opswall("check", "wall_config.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wall_config.yaml: ok: ")
    assert "feeds" in result.stdout and result.stdout.count("\n") == 1


def test_check_warns_for_a_title_a_bezel_would_cut() -> None:
    """Without --render, a span's title across a bezel is a located warning (issue 23): printed
    after the summary, the check still passes."""
    result = opswall("check", str(FIXTURES / "spans.yaml"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{FIXTURES / 'spans.yaml'}: ok: ")
    assert lines[1:] == [
        f"{FIXTURES / 'spans.yaml'}:33:9: warning: pair tile chart: title 'Power system load "
        "across both screens, last ten minutes' crosses the bezel between screens nw and ne at "
        "x=640..650; move the tile or shorten the title"
    ]


def test_check_prints_every_error_and_no_traceback(tmp_path: Path) -> None:
    """A broken config exits 1 with each located error, and never a Python traceback."""
    broken = tmp_path / "wall_config.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("type: clock", "type: clok").replace("locale: en", "locale: de"),
        encoding="utf-8",
    )
    result = opswall("check", str(broken))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{broken}:2:35: wall.locale: 'de' is not allowed (allowed: 'vi' or 'en')",
        f"{broken}:24:27: screens[0].tiles[2].type: unknown tile type 'clok' "
        "(known: alerts, bar, chart, clock, conference, gauge, iframe, image, kpi, map, reporting, table, text, ticker, video)",
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_check_handles_missing_files_and_garbage() -> None:
    """Missing files and non-YAML input are located errors too."""
    result = opswall("check", "no/such/file.yaml", "README.md")
    assert result.returncode == 1
    assert "no/such/file.yaml:1:1: cannot read: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_parts_need_a_redis_url() -> None:
    """Run alone, a part without OPSWALL_REDIS_URL says what to set instead of crashing."""
    env = {k: v for k, v in os.environ.items() if k != "OPSWALL_REDIS_URL"}
    result = opswall("gateway", "--config", str(FIXTURES / "minimal.yaml"), env=env)
    assert result.returncode == 1
    assert "set OPSWALL_REDIS_URL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("redis_kind", ["private redis-server", "embedded Redis-protocol server"])
def test_run_starts_the_whole_wall(tmp_path: Path, redis_kind: str) -> None:
    """`opswall run` starts web, gateway and feeds; /healthz answers; the demo feeds flow."""
    env = {k: v for k, v in os.environ.items() if k != "OPSWALL_REDIS_URL"}
    if redis_kind.startswith("embedded"):
        # A machine with no redis-server: keep python, hide everything else on PATH.
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        (bin_dir / "python").symlink_to(sys.executable)
        env["PATH"] = str(bin_dir)
    else:
        assert shutil.which("redis-server")
    port, gateway_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opswall",
            "run",
            "--port",
            str(port),
            "--gateway-port",
            str(gateway_port),
            "--config",
            str(ROOT / "wall_config.yaml"),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", timeout=60, process=process)
        wait_healthy(f"http://127.0.0.1:{gateway_port}/healthz", timeout=30, process=process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
        deadline = time.monotonic() + 20
        status: dict[str, object] = {}
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{gateway_port}/healthz", timeout=5) as r:
                status = json.load(r)
            if int(status["entries"]) >= 25:  # type: ignore[call-overload]
                break
            time.sleep(0.5)
        assert int(status["entries"]) >= 25, status  # type: ignore[call-overload]
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"redis: {redis_kind}" in output
    assert f"opswall is live: http://localhost:{port}/" in output
    # No user yet and no OPSWALL_ADMIN_*: a one-time setup link, never a default password.
    assert f"Create the first admin (one-time link): http://localhost:{port}/setup/" in output
    assert "Traceback" not in output


def test_readme_tile_reference_matches_the_models(tmp_path: Path) -> None:
    """The README's tile reference is what `opswall docs` generates; a stale copy is caught."""
    assert opswall("docs", "--check", "README.md").returncode == 0
    stale = tmp_path / "README.md"
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    stale.write_text(text.replace("| the feed to show |", "| the feed |"), encoding="utf-8")
    result = opswall("docs", "--check", str(stale))
    assert result.returncode == 1
    assert "the tile reference is out of date; run `opswall docs --write" in result.stderr
    assert opswall("docs", "--write", str(stale)).returncode == 0
    assert stale.read_text(encoding="utf-8") == text


def test_token_commands_enrol_list_and_revoke_a_wall_pc(tmp_path: Path) -> None:
    """`opswall token create` prints a working link once; `revoke` cuts it off; both audited."""
    from opswall.auth.accounts import Accounts
    from opswall.auth.audit import recent
    from opswall.store.db import Database

    url = f"sqlite:///{tmp_path / 'record.db'}"
    env = {**os.environ, "OPSWALL_DATABASE_URL": url}
    made = opswall("token", "create", "--screen", "main", "--label", "PC 3", env=env)
    assert made.returncode == 0, made.stderr
    link = made.stdout.splitlines()[-1]
    assert link.startswith("http://localhost:8050/wall/main?token=")
    token = link.split("token=", 1)[1]
    db = Database(url)
    device = Accounts(db).device(token)
    assert device is not None and device.screen == "main" and not device.clearance
    listed = opswall("token", "list", env=env).stdout
    assert "main" in listed and "active" in listed and "PC 3" in listed
    assert opswall("token", "revoke", "1", env=env).returncode == 0
    assert Accounts(db).device(token) is None
    again = opswall("token", "revoke", "1", env=env)
    assert again.returncode == 1 and "no active token 1" in again.stderr
    assert [row.action for row in recent(db)] == ["token.revoke", "token.create"]
    db.dispose()


def test_token_create_types_the_kind_from_its_flag(tmp_path: Path) -> None:
    """`--agency`, `--feed` and `--metrics` make tokens of that kind; a `--screen` that names
    another kind's scope is refused, so a screen token never doubles as an agency's."""
    from opswall.auth.accounts import Accounts
    from opswall.auth.scopes import TokenKind
    from opswall.store.db import Database

    url = f"sqlite:///{tmp_path / 'record.db'}"
    env = {**os.environ, "OPSWALL_DATABASE_URL": url}
    for flags in (["--agency", "MOIT"], ["--feed", "pushed"], ["--metrics"]):
        assert opswall("token", "create", *flags, env=env).returncode == 0
    refused = opswall("token", "create", "--screen", "agency:MOIT", env=env)
    assert refused.returncode == 1 and "use --feed, --agency or --metrics" in refused.stderr
    db = Database(url)
    kinds = [(t.scope.kind, t.scope.target) for t in Accounts(db).tokens()]
    assert kinds == [
        (TokenKind.AGENCY, "MOIT"),
        (TokenKind.PRODUCER, "pushed"),
        (TokenKind.METRICS, ""),
    ]
    db.dispose()


def test_first_admin_comes_from_the_environment_or_a_setup_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from opswall.auth.accounts import Accounts
    from opswall.cli.parts import announce_setup
    from opswall.settings import Settings
    from opswall.store.db import Database

    linked = Database(f"sqlite:///{tmp_path / 'a.db'}")
    linked.upgrade()
    monkeypatch.delenv("OPSWALL_ADMIN_USER", raising=False)
    announce_setup(linked, Settings())
    token = Accounts(linked).setup_token()
    assert f"http://localhost:8050/setup/{token}" in capsys.readouterr().out
    assert not Accounts(linked).has_users()

    from_env = Database(f"sqlite:///{tmp_path / 'b.db'}")
    from_env.upgrade()
    monkeypatch.setenv("OPSWALL_ADMIN_USER", "ada")
    monkeypatch.setenv("OPSWALL_ADMIN_PASSWORD", "a long enough secret")
    announce_setup(from_env, Settings())
    admin = Accounts(from_env).authenticate("ada", "a long enough secret")
    assert admin is not None and admin.role == "admin" and admin.clearance
    assert Accounts(from_env).setup_token() is None  # no link once someone exists
    assert "setup" not in capsys.readouterr().out


def test_feeds_list_and_test_fetch_once_and_write_nothing(tmp_path: Path) -> None:
    """`opswall feeds list` names every feed and its kind; `opswall feeds test` fetches once
    from the real source and prints the entries it would write."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"data": {"price": 20830, "at": "2026-11-20T03:00:00Z"}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp_path / "wall_config.yaml"
    url = f"http://127.0.0.1:{server.server_address[1]}/fuel.json"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "  - id: rivers\n",
            "  - id: fuel\n    label: Fuel\n    cadence: 10s\n"
            f'    source: {{kind: http_poll, url: "{url}", fields: {{value: data.price}}, ts: data.at}}\n'
            "  - id: rivers\n",
            1,
        ),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "OPSWALL_REDIS_URL"}
    listed = opswall("feeds", "list", "--config", str(config), env=env)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^fuel\s+http_poll\s+10s\s+-\s+Fuel$", listed.stdout, re.M)
    assert re.search(r"^power_load\s+redis\s+", listed.stdout, re.M)
    tested = opswall("feeds", "test", "fuel", "--config", str(config), env=env)
    server.shutdown()
    assert tested.returncode == 0, tested.stderr
    assert "fuel (http_poll): 1 entry would be written to feed:fuel:" in tested.stdout
    assert '{"value": 20830}' in tested.stdout
    failed = opswall("feeds", "test", "fuel", "--config", str(config), "--timeout", "3", env=env)
    assert failed.returncode == 1 and "fuel" in failed.stderr and "Traceback" not in failed.stderr
    unknown = opswall("feeds", "test", "nope", "--config", str(config), env=env)
    assert "unknown feed 'nope'" in unknown.stderr


def test_ingest_backfills_100k_rows_with_progress_once(tmp_path: Path) -> None:
    """`opswall ingest` loads a 100,000-row CSV into the history, showing progress; running it
    again adds nothing; bad rows are named by line and skipped."""
    csv_path = tmp_path / "load.csv"
    start = 1_760_000_000_000
    lines = ["ts,value,region"] + [
        f"{start + i * 60_000},{40000 + i % 500},north" for i in range(100_000)
    ]
    lines[5001] = "not-a-time,1,north"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "OPSWALL_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    config = str(FIXTURES / "minimal.yaml")
    first = opswall("ingest", "power_load", str(csv_path), "--config", config, env=env)
    assert first.returncode == 0, first.stderr
    progress = [
        line for line in first.stderr.splitlines() if line.startswith("ingest power_load [")
    ]
    assert len(progress) >= 10 and "100,000/100,000 rows 100.0%" in progress[-1]
    assert (
        f"{csv_path}:5002: ts 'not-a-time' is neither epoch milliseconds nor ISO 8601"
        in first.stderr
    )
    assert (
        "power_load: 100,000 rows read, 99,999 recorded, 0 already there, 1 refused" in first.stdout
    )
    again = opswall("ingest", "power_load", str(csv_path), "--config", config, env=env)
    assert "99,999 already there" in again.stdout

    from opswall.history.store import load
    from opswall.store.db import Database

    db = Database(env["OPSWALL_DATABASE_URL"])
    tail = load(db, "power_load", start + 99_998 * 60_000)
    db.dispose()
    assert [(e.asof_ms, e.fields) for e in tail] == [
        (start + 99_998 * 60_000, {"value": 40000 + 99_998 % 500, "region": "north"}),
        (start + 99_999 * 60_000, {"value": 40000 + 99_999 % 500, "region": "north"}),
    ]


def test_reports_and_their_revisions_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "OPSWALL_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    config = str(ROOT / "wall_config.yaml")
    assert (
        opswall("report", "CPI_YOY", "2026-10", "3.31", "--config", config, env=env).returncode == 0
    )
    refused = opswall("report", "CPI_YOY", "2026-10", "3.29", "--config", config, env=env)
    assert refused.returncode == 1 and "a correction needs a reason" in refused.stderr
    fixed = opswall(
        "report",
        "CPI_YOY",
        "2026-10",
        "3.29",
        "--reason",
        "official figure",
        "--config",
        config,
        env=env,
    )
    assert "CPI_YOY national 2026-10: revision 2 recorded" in fixed.stdout
    story = opswall("indicators", "CPI_YOY", "--config", config, env=env)
    rows = [line.split() for line in story.stdout.splitlines()[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("2026-10", "1", "3.31"),
        ("2026-10", "2", "3.29"),
    ]
    assert story.stdout.rstrip().endswith("— official figure")
