"""The store's write lock: two ingestions or removals never interleave (portable: Linux, macOS, Windows)."""

from __future__ import annotations

import filelock

from rag.errors import StoreError
from rag.settings import Settings

# A second writer waits this long before giving up: long enough to ride out a lock being released,
# short enough that `mairie ingest` run twice says so at once.
LOCK_WAIT_SECONDS = 0.5


class WriteLock:
    """An exclusive lock on the store for writers; readers never take it.

    The operating system releases it if the process dies (flock on POSIX, LockFileEx on Windows).
    """

    def __init__(self, settings: Settings) -> None:
        settings.store.mkdir(parents=True, exist_ok=True)
        self.path = settings.store / "write.lock"
        self._lock = filelock.FileLock(self.path, timeout=LOCK_WAIT_SECONDS)

    def __enter__(self) -> WriteLock:
        try:
            self._lock.acquire()
        except filelock.Timeout as e:
            raise StoreError(
                f"Une autre indexation ou suppression est en cours sur {self.path.parent}. "
                "Attendez qu'elle se termine puis relancez la commande."
            ) from e
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
