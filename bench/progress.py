"""A plain progress bar (tqdm is not among the project's dependencies, and this is all we need)."""

from __future__ import annotations

import sys
import time


class Progress:
    """``label [#####.....] 45%  25,000/56,000``: redrawn in place on a terminal; in a log (CI),
    one line per tenth so the log stays short."""

    def __init__(self, label: str, total: int, stream=None, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.tty = self.stream.isatty()
        self._last_tenth = -1
        self._draw()

    def advance(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def close(self) -> None:
        self.done = self.total
        self._draw(final=True)

    def _draw(self, final: bool = False) -> None:
        share = self.done / self.total
        tenth = int(share * 10)
        if not self.tty and tenth == self._last_tenth and not final:
            return
        self._last_tenth = tenth
        filled = int(share * self.width)
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%}  {self.done:,}/{self.total:,}"
        if final:
            line += f"  ({time.monotonic() - self.started:.1f} s)"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        elif final or tenth != 10:
            self.stream.write(line + "\n")
        self.stream.flush()
