"""Under CI, a test that cannot use the real part it needs fails instead of skipping.

A quiet skip would turn a machine that lacks CUPS, Xvfb, a keyring or root into a green
run that proves nothing. `unavailable` is what a fixture calls when its real part is
missing; the hook below also turns any other skip (a ``skipif`` mark, a plain
``pytest.skip``) into a failure when the ``CI`` environment variable is set, so nothing
slips through. Outside CI a developer's machine without those parts still skips, with
the reason shown (``-ra``).
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import NoReturn

import pytest


def under_ci() -> bool:
    """Whether this run is CI's (``CI`` set to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Stop the test: the real part it needs is missing here (fail under CI, else skip)."""
    if under_ci():
        pytest.fail(f"a real part this test needs is missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator:
    """Report a skipped test as failed under CI, with the reason it gave."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (under_ci() and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped under CI, where every test must run: {reason}"
