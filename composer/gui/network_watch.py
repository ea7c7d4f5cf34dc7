"""Noticing that the network is back, so letters waiting in the outbox can go at once.

The system's network information (``QNetworkInformation``) is followed where a
backend exists; where none does, :class:`NetworkWatch` probes the mail server
now and then with a cheap connection instead, on a background task.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from composer.core.accounts import Account
from composer.core.transport import FailureKind
from composer.gui.background import run_task
from composer.i18n import N_

log = logging.getLogger(__name__)

# Failures that mean "the server could not be reached", worth probing for.
NETWORK_KINDS = frozenset(
    {
        FailureKind.OFFLINE,
        FailureKind.REFUSED,
        FailureKind.TIMED_OUT,
        FailureKind.NAME_NOT_FOUND,
        FailureKind.CONNECTION_LOST,
    }
)


class NetworkWatch(QObject):
    """Tells when the network (or the mail server) can be reached again.

    Args:
        load_account: returns the saved account, or None (called on pool threads).
        pool: the thread pool the probes run on.
        watch_network: follow the system's network state when it can be known.
        probe_interval: seconds between probes of the server when it cannot.
        busy: whether sending is under way (then a probe is pointless).
        parent: the Qt parent.

    Attributes:
        information: the system's ``QNetworkInformation``, or None (then probes).

    Signals:
        back(): the network came back online, or the server answered a probe.
    """

    back = Signal()

    def __init__(
        self,
        load_account: Callable[[], Account | None],
        pool: QThreadPool,
        *,
        watch_network: bool = True,
        probe_interval: float = 60.0,
        busy: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_account = load_account
        self._pool = pool
        self._busy = busy
        self._timer = QTimer(self)
        self._timer.setInterval(int(probe_interval * 1000))
        self._timer.timeout.connect(self._probe)
        self.information: Any = self._load_information() if watch_network else None

    def _load_information(self) -> Any:
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:
            return None
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadBackendByFeatures(
            feature
        ):
            log.info("no network information backend; probing the server instead")
            return None
        info = QNetworkInformation.instance()
        if info is None or not info.supports(feature):
            return None
        info.reachabilityChanged.connect(self._on_reachability)
        return info

    def follow(self, failure: FailureKind | None) -> None:
        """Probe the server from now on if `failure` says it could not be reached and the
        system cannot tell when the network is back."""
        if self.information is None and failure in NETWORK_KINDS:
            self._timer.start()

    def stop(self) -> None:
        """Stop probing."""
        self._timer.stop()

    @Slot(object)
    def _on_reachability(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.back.emit()

    @Slot()
    def _probe(self) -> None:
        if self._busy():
            return
        load_account = self._load_account

        def reachable() -> bool:
            account = load_account()
            if account is None:
                return False
            try:
                with socket.create_connection((account.host, account.port), timeout=3):
                    return True
            except OSError:
                return False

        def answered(ok: bool) -> None:
            if ok:
                self._timer.stop()
                self.back.emit()

        def failed(message: str) -> None:
            # Nobody asked for the probe: the next one tries again; the log keeps why.
            log.warning("probing the mail server: %s", message)

        run_task(
            reachable,
            answered,
            failed,
            pool=self._pool,
            what=N_("checking whether the mail server can be reached"),
            owner=self,
        )
