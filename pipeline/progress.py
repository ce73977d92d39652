"""Progress bars that reach the terminal even while Dagster captures a step's output.

Dagster redirects file descriptors 1 and 2 into its compute logs while a step runs, so a bar
written to `sys.stderr` from inside an asset never reaches the user's terminal. The CLI calls
`attach_terminal()` before it starts the run: it duplicates the terminal's stderr descriptor, and
every bar writes there. In the Dagster UI nothing is attached and bars are off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import IO, TypeVar

from tqdm import tqdm

T = TypeVar("T")
_terminal: IO[str] | None = None


def attach_terminal() -> bool:
    """Send progress bars to a duplicate of the current stderr, if it is a terminal."""
    global _terminal
    if _terminal is None and sys.stderr.isatty():
        _terminal = os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1)
    return _terminal is not None


def bar(items: Iterable[T], *, desc: str, unit: str = "doc", total: int | None = None, enabled: bool = True) -> Iterable[T]:
    """`items`, with a progress bar on the attached terminal when enabled."""
    if not enabled or _terminal is None:
        return items
    return tqdm(items, desc=f"{desc:<9}", unit=unit, total=total, file=_terminal, dynamic_ncols=True)
