"""Patterns that see user input run in time linear in it: no crafted input stalls a process.

A backtracking regular expression holds the GIL while it works, so one crafted e-mail address
posted to the sign-up form used to stop every other request of the server for seconds. Each
check here times the worst inputs we know against a trivial input of the same length, in the
same process, and asserts a ratio (never an absolute time: machines are noisy).
"""

from __future__ import annotations

import time

import pytest

from registry.publiccode import formats, validate_bytes

EMAIL_WORST = [
    "a" * 76 + "!",  # the address that took ~9 s: exponential backtracking on the local part
    "a" * 254 + "@",
    "a." * 120 + "@" + "b" * 10,
    "a@" + "b-" * 120 + "!",
    "a@" + "b." * 120 + "-",
    '"' + "\\\t" * 120,
    '"' + " \r\n" * 80,
]


def _seconds(check, text: str, repeat: int = 20) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            check(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("worst", EMAIL_WORST)
def test_the_email_check_takes_no_longer_for_a_crafted_address(worst):
    trivial = "a" * (len(worst) - 6) + "@b.org"
    assert formats.is_email(trivial) and not formats.is_email(worst)
    # 200× leaves room for a busy machine; the backtracking engine was >100,000× here
    assert _seconds(formats.is_email, worst) < 200 * _seconds(formats.is_email, trivial) + 1e-3


def test_the_reference_pattern_is_kept():
    accepted = ["a@b.c", "x.y+z@example.org", '"a"@b.c', "ä@ö.de", "a@b.c.", "a@localhost.local"]
    refused = ["a..b@c.d", "ab@c", "a b@c.d", "a@b.c\n", "@b.c", "a@.b"]
    assert all(formats.is_email(text) for text in accepted)
    assert not any(formats.is_email(text) for text in refused)


def test_a_crafted_contact_address_in_a_file_is_checked_quickly():
    crafted = "a" * 82 + "!"
    data = ("maintenance:\n  type: internal\n  contacts:\n    - name: X\n"
            f"      email: {crafted}\n").encode()
    plain = data.replace(crafted.encode(), b"x" * 78 + b"@b.org")
    assert _seconds(validate_bytes, data, repeat=3) < 20 * _seconds(validate_bytes, plain,
                                                                    repeat=3) + 0.05
