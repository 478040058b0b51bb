"""Sign-in limits that slow guessing down without letting a stranger lock anybody out
(issue 17, part 5). Pure rules; the counters live in Redis (`web/security.py`).

- Per (address, user name): after `PAIR_LIMIT` wrong passwords in the window that pair waits
  the window out. Only the guesser's own address is held back; the person elsewhere is not.
- Per address (any names): `ADDRESS_LIMIT` in the window, as before (a control room may share
  one address, hence the higher figure).
- Per user name across addresses: no lock. After `USER_FREE` wrong passwords in the window every
  further try for that name must carry a proof of work whose cost doubles with each further
  failure, up to `MAX_BITS` (a few seconds of a browser's time at most; the login page's script
  does it). A distributed guesser pays that for every guess; the person pays it once and signs
  in. A CAPTCHA would need a third party or images; a delay enforced by the server would either
  hold a worker thread per try or become a lock again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

PAIR_LIMIT = 8
ADDRESS_LIMIT = 30
USER_FREE = 10  # more than PAIR_LIMIT: one address alone never makes the person do work
WINDOW = 300  # seconds
FIRST_BITS = 8
MAX_BITS = 20
ANSWER_DIGITS = 12  # a counter up to 2**MAX_BITS * a lot fits


@dataclass(frozen=True)
class Counts:
    """Wrong passwords in the window: from this address for this name, from this address,
    and for this name from anywhere."""

    pair: int = 0
    address: int = 0
    user: int = 0


@dataclass(frozen=True)
class Verdict:
    blocked: str = ""  # "pair" | "address": wait the window out; "" = may try
    work_bits: int = 0  # the proof of work this try must carry (0: none)


def judge(counts: Counts) -> Verdict:
    if counts.address >= ADDRESS_LIMIT:
        return Verdict(blocked="address")
    if counts.pair >= PAIR_LIMIT:
        return Verdict(blocked="pair")
    return Verdict(work_bits=work_bits(counts.user))


def work_bits(user_failures: int) -> int:
    if user_failures < USER_FREE:
        return 0
    return min(MAX_BITS, FIRST_BITS + user_failures - USER_FREE)


def solved(nonce: str, answer: str, bits: int) -> bool:
    """Whether SHA-256("<nonce>:<answer>") starts with `bits` zero bits (what login.js finds)."""
    if not (answer.isascii() and answer.isdigit()) or len(answer) > ANSWER_DIGITS:
        return False
    digest = hashlib.sha256(f"{nonce}:{answer}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0
