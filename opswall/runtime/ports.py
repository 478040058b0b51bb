"""Free TCP ports on loopback, for private servers."""

from __future__ import annotations

import random
import socket
import time


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_port_pair(offset: int, host: str = "127.0.0.1") -> int:
    """A free port whose `port + offset` is free too (a Redis Cluster node's bus port), taken
    below the ephemeral range so that the pair stays valid and clients do not collide with it."""
    for _ in range(200):
        port = random.randint(20000, 65535 - offset - 1)
        if is_free(port, host) and is_free(port + offset, host):
            return port
    raise OSError(f"no free port pair {offset} apart on {host}")
