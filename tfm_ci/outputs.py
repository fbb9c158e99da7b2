"""Files a command writes: checked before the job runs, written atomically after, and
kept elsewhere (with the place said) if the write still fails -- a record is never lost."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tfm_ci.boards import repo_root
from tfm_ci.writable import NotWritableError, check_writable_dir, check_writable_file, write_atomic


def save_output(path: Path, text: str, what: str, con: Console) -> bool:
    """Write `text` atomically; if that fails after all, keep it in build/records/ and say
    where, so a finished job's record is never lost."""
    try:
        write_atomic(path, text)
        return True
    except OSError as exc:
        fallback = repo_root() / "build" / "records" / f"{int(time.time())}-{os.getpid()}.json"
        try:
            fallback.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(fallback, text)
            where = f"kept in {fallback}"
        except OSError:
            sys.stderr.write(text + "\n")
            where = "written to stderr"
        con.print(f"[red]error:[/] cannot write the {what} to {escape(str(path))}: "
                  f"{escape(str(exc.strerror or exc))}; {escape(where)}", soft_wrap=True)
        return False


def check_outputs(con: Console, files: Sequence[tuple[str | None, str]] = (),
                  dirs: Sequence[tuple[str | None, str]] = ()) -> bool:
    """Before a job runs: every output file/folder must be writable (else say which)."""
    try:
        for path, what in files:
            if path:
                check_writable_file(Path(path), what)
        for path, what in dirs:
            if path:
                check_writable_dir(Path(path), what)
    except NotWritableError as exc:
        con.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return False
    return True
