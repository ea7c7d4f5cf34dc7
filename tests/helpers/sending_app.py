"""A program that sends every queued letter of an outbox through an SMTP server, then exits.

Used by the crash tests, which kill it in the middle of a batch. Arguments: the
database file, the server's host and port; the password comes in the
environment (COMPOSER_TEST_PASSWORD), the trust store through SSL_CERT_FILE.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from composer.core.accounts import Account
from composer.core.outbox import Outbox
from composer.core.sending import OutboxSender


def main(database: str, host: str, port: str) -> int:
    outbox = Outbox(Path(database))
    account = Account("Ada Example", "ada@example.org", host, int(port), "starttls")
    password = os.environ["COMPOSER_TEST_PASSWORD"]
    print("sending", flush=True)
    report = OutboxSender(outbox, account, lambda: password, timeout=10).flush()
    outbox.close()
    print(report.summary(), flush=True)
    return report.exit_status()


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
