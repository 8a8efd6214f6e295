"""Reading and validating in a forked second process while this one writes.

The pipe between the two holds a few chunks, so the child never runs far ahead and memory stays
bounded. If the writing side stops early (an error, a rollback), the child is stopped at once.
"""

import contextlib
import multiprocessing
import traceback
from collections.abc import Callable, Iterator

try:
    import fcntl
except ImportError:  # not on Windows, which has no fork either
    fcntl = None

# Room for a few chunks in the pipe, so that neither side waits on the other's every step.
PIPE_BYTES = 1 << 20


class ReaderProcessFailed(RuntimeError):
    pass


def second_process_available() -> bool:
    # fork shares the parent's imported modules, so the child starts at once; without it (Windows)
    # ingest reads and writes in one process.
    return "fork" in multiprocessing.get_all_start_methods()


def in_second_process(produce: Callable[..., Iterator], *args) -> Iterator:
    """What `produce(*args)` yields, produced in a forked child process while this one goes on."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    child = context.Process(
        target=_send_all, args=(receiving, sending, produce, args), name="ingest-reader", daemon=True
    )
    child.start()
    sending.close()
    finished = False
    try:
        while True:
            status, payload = _receive(receiving, child)
            if status == "done":
                finished = True
                return
            yield payload
    finally:
        receiving.close()
        if not finished:
            child.kill()  # what is left to read can no longer be written
        child.join()


def _receive(receiving, child) -> tuple[str, object]:
    """The next message from the child: an item, or "done"; its failure raised here."""
    try:
        status, payload = receiving.recv()
    except EOFError:
        child.join(timeout=1)
        raise ReaderProcessFailed(f"the reading process stopped (exit code {child.exitcode})") from None
    if status == "failed":
        raise ReaderProcessFailed(f"the reading process failed:\n{payload}")
    return status, payload


def _widen(pipe) -> None:
    # Linux only (F_SETPIPE_SZ); elsewhere the pipe keeps its size, and ingest is only slower.
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        # OSError: above the system's limit for an unprivileged process (/proc/sys/fs/pipe-max-size).
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _send_all(receiving, sending, produce: Callable[..., Iterator], args: tuple) -> None:
    # The parent's end, copied by fork: closed here, so that only the parent holds it.
    receiving.close()
    try:
        for item in produce(*args):
            sending.send(("item", item))
        sending.send(("done", None))
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the ingest stopped listening, or was interrupted: it reports for itself
    except Exception:
        sending.send(("failed", traceback.format_exc()))
    finally:
        sending.close()
