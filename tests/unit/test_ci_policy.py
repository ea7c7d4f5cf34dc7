"""Under CI a test that cannot reach its real part fails; elsewhere it skips with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
INNER_TESTS = """
import pytest
from tests.helpers.ci_policy import unavailable

def test_needs_a_missing_printer():
    unavailable("no print queue on this machine")

@pytest.mark.skipif(True, reason="no X server")
def test_marked_skip():
    pass

def test_plain_skip():
    pytest.skip("no keyring")

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False

def test_runs():
    pass
"""


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_inner=INNER_TESTS)
    return pytester


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    # The inner run loads only the policy plugin, found from this checkout.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(PROJECT))
        return pytester.runpytest_subprocess("-p", "tests.helpers.ci_policy", "-rA")


def test_under_ci_every_skip_fails_with_its_reason(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = _run(inner)
    # A skip in setup (a skipif mark) is reported as an error, the others as failures.
    result.assert_outcomes(passed=1, failed=2, errors=1, xfailed=1)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*a real part this test needs is missing: no print queue*"])
    result.stdout.fnmatch_lines(["*skipped under CI*no X server*"])
    result.stdout.fnmatch_lines(["*skipped under CI*no keyring*"])


def test_outside_ci_they_skip_with_their_reason(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = _run(inner)
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*no print queue on this machine*"])
