"""A timer that notes each turn of the event loop, to find how long the loop was kept waiting."""

from __future__ import annotations

import itertools
import time

from PySide6.QtCore import QTimer


class Heartbeat:
    """Ticks every 10 ms while started and keeps the times of the ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.times: list[float] = []

    def _tick(self) -> None:
        self.times.append(time.monotonic())

    def start(self) -> None:
        self.times = [time.monotonic()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def longest_gap(self, until: float) -> float:
        """The longest time between ticks up to `until` (and the wait from the last tick)."""
        marks = [t for t in self.times if t <= until] + [until]
        return max(later - earlier for earlier, later in itertools.pairwise(marks))
