"""Text files as UTF-8 that Polars can scan: encoding detected (UTF-8, UTF-8 with BOM, UTF-16
with BOM, else GB18030, a superset of GBK, chunk by chunk), gzip undone, all in a stream of
1 MiB chunks so a file of any size is never held in memory. Bytes in no supported encoding
read as U+FFFD: they mark their cells, never the whole file."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import os
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from payaudit.errors import InputError

CHUNK = 1 << 20
HEAD = 8 * CHUNK  # bytes of a plain text file read to tell UTF-8 from GB18030
GZIP_MAGIC = b"\x1f\x8b"
FFFD = "\ufffd"
SAMPLE = 1 << 16  # bytes of a chunk that tell UTF-8 text from GBK


def _hashed(path: Path) -> Iterator[bytes]:
    """What a digest of `path` reads: a file's bytes, or a folder's files (each one's relative
    path and bytes, in sorted order)."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            yield str(file.relative_to(path)).encode() + b"\0"
        with file.open("rb") as f:
            yield from iter(lambda f=f: f.read(CHUNK), b"")


def sha256(path: Path) -> str:
    """Digest of a file, or of a folder's files."""
    digest = hashlib.sha256()
    for chunk in _hashed(path):
        digest.update(chunk)
    return digest.hexdigest()


class _Hashing:
    """One file's sha256, chunk by chunk, by whichever thread gets there first."""

    def __init__(self, path: Path) -> None:
        self._path, self._chunks, self._hash = path, _hashed(path), hashlib.sha256()
        self._lock = threading.Lock()
        self._hex: str | None = None
        self._error: InputError | None = None

    def step(self) -> bool:
        """One chunk more; False once the digest is known (or the file failed)."""
        with self._lock:
            if self._hex is None and self._error is None:
                try:
                    chunk = next(self._chunks, None)
                except OSError as exc:
                    self._error = InputError(f"{self._path} cannot be read: {exc}.")
                    return False
                if chunk is None:
                    self._hex = self._hash.hexdigest()
                else:
                    self._hash.update(chunk)
            return self._hex is None and self._error is None

    def hexdigest(self) -> str:
        while self.step():
            pass
        if self._error is not None:
            raise self._error
        return self._hex


def _idle_priority() -> None:
    """This thread runs only on a core nothing else wants (Linux's SCHED_IDLE; elsewhere, at
    its usual priority)."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # 0: this thread


def hashing(paths: list[Path]) -> dict[str, _Hashing]:
    """The sha256 of each file, by its path as text, hashed by a thread at idle priority while
    the run goes on: hashing a gigabyte of CSV costs a second of a core, which the audit thus
    never waits for when a core is free. Reading a digest (`hexdigest()`) hashes what is left
    in the reading thread, at its own priority, so a busy machine cannot starve a report."""
    digests = {str(p): _Hashing(p) for p in paths}

    def work() -> None:
        _idle_priority()
        for digest in digests.values():
            while digest.step():
                pass

    threading.Thread(target=work, name="payaudit-sha256", daemon=True).start()
    return digests


def _open(path: Path) -> BinaryIO:
    return path.open("rb")


def _is_utf8(stream: BinaryIO, limit: int | None = None) -> bool:
    """Whether the stream (its first `limit` bytes, when given) decodes as UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    read = 0
    try:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            decoder.decode(chunk)
            read += len(chunk)
            if limit is not None and read >= limit:
                return True  # a character cut at the limit is not an error: not final
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _head(path: Path, opener) -> bytes:
    with opener(path) as f:
        return f.read(1 << 16)


def _lines(source: BinaryIO, newline: bytes) -> Iterator[bytes]:
    """The stream in chunks of about CHUNK bytes, each ending at the end of a line (written
    with \n: old Mac files end lines with \r alone, which Polars does not read as an end)."""
    rest = b""
    for chunk in iter(lambda: source.read(CHUNK), b""):
        chunk = rest + chunk
        cut = chunk.rfind(newline) + 1
        rest, chunk = chunk[cut:], chunk[:cut]
        if chunk:
            yield chunk.replace(newline, b"\n")
    if rest:
        yield rest.replace(newline, b"\n")


def decode(chunk: bytes) -> str:
    """Text from bytes in UTF-8 or GB18030 (a superset of GBK). A chunk whose sample reads
    without error as GB18030 and mostly in error as UTF-8 is GBK; any other is decoded line
    by line, so that a GBK row pasted in UTF-8 text reads too. Bytes in neither read as
    U+FFFD, which then marks their cells, never stopping the file."""
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = chunk[:SAMPLE]
    sample = sample[: sample.rfind(b"\n") + 1] or sample  # whole lines, no character cut
    as_utf8 = sample.decode("utf-8", "replace")
    bad = as_utf8.count(FFFD)
    read = len(as_utf8) - len(as_utf8.encode("ascii", "ignore")) - bad  # non-ASCII read
    if read < bad and FFFD not in sample.decode("gb18030", "replace"):
        return chunk.decode("gb18030", "replace")
    return "".join(_line(line) for line in chunk.splitlines(keepends=True))


def _line(line: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        with contextlib.suppress(UnicodeDecodeError):
            return line.decode(encoding)
    # a byte in neither: the reading with fewer U+FFFD, so that one bad byte in a GBK row
    # marks its own cell and leaves the row's other Chinese cells readable
    readings = (line.decode(encoding, "replace") for encoding in ("utf-8", "gb18030"))
    return min(readings, key=lambda text: text.count(FFFD))


def _transcode(source: BinaryIO, head: bytes, target: Path) -> None:
    with target.open("w", encoding="utf-8", newline="") as out:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            decoder = codecs.getincrementaldecoder("utf-16")("replace")
            for chunk in iter(lambda: source.read(CHUNK), b""):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
            return
        newline = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
        for n, chunk in enumerate(_lines(source, newline)):
            # a BOM says UTF-8, but is no character: GB18030 would read it as one
            out.write(decode(chunk.removeprefix(codecs.BOM_UTF8) if n == 0 else chunk))


def utf8_file(path: Path, workdir: Path, transcode: bool = False) -> Path:
    """`path` itself when it looks like plain UTF-8, else a UTF-8 copy written in `workdir`.

    A plain file is judged by its first HEAD bytes: checking a whole file of a gigabyte costs
    a second, and Polars rejects invalid UTF-8 later anyway (the caller then asks again with
    `transcode`). A compressed file is decoded in full, as it is copied regardless."""
    with path.open("rb") as f:
        compressed = f.read(2) == GZIP_MAGIC
    opener = gzip.open if compressed else _open
    try:
        head = _head(path, opener)
        plain = not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        plain &= b"\n" in head or b"\r" not in head
        if plain and not (transcode or compressed):
            with path.open("rb") as f:
                if _is_utf8(f, HEAD):
                    return path
        target = workdir / f"{len(list(workdir.iterdir()))}.csv"
        with opener(path) as source:
            _transcode(source, head, target)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path} cannot be read: {exc}.") from None
    return target
