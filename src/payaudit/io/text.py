"""Text files as UTF-8 that Polars can scan: encoding detected (UTF-8, UTF-8 with BOM, UTF-16
with BOM, else GB18030, a superset of GBK), gzip undone, all in a stream of 1 MiB chunks so a
file of any size is never held in memory."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import shutil
import zlib
from pathlib import Path
from typing import BinaryIO

from payaudit.errors import InputError

CHUNK = 1 << 20
HEAD = 8 * CHUNK  # bytes of a plain text file read to tell UTF-8 from GB18030
GZIP_MAGIC = b"\x1f\x8b"


def sha256(path: Path) -> str:
    """Digest of a file, or of a folder's files (relative path and bytes, in sorted order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as f:
            for chunk in iter(lambda f=f: f.read(CHUNK), b""):
                digest.update(chunk)
    return digest.hexdigest()


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


def _encoding(path: Path, opener, limit: int | None) -> str:
    with opener(path) as f:
        head = f.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        return "utf-8" if _is_utf8(f, limit) else "gb18030"


def _transcode(source: BinaryIO, encoding: str, target: Path, name: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise InputError(f"{name} is neither UTF-8 nor GBK/GB18030 text.") from None


def utf8_file(path: Path, workdir: Path, gb18030: bool = False) -> Path:
    """`path` itself when it looks like plain UTF-8, else a UTF-8 copy written in `workdir`.

    A plain file is judged by its first HEAD bytes: checking a whole file of a gigabyte costs
    a second, and Polars rejects invalid UTF-8 later anyway (the caller then asks again with
    `gb18030`). A compressed file is decoded in full, as it is copied regardless."""
    with path.open("rb") as f:
        compressed = f.read(2) == GZIP_MAGIC
    opener = gzip.open if compressed else _open
    try:
        encoding = "gb18030" if gb18030 else _encoding(path, opener, None if compressed else HEAD)
        if encoding == "utf-8" and not compressed:
            return path
        target = workdir / f"{len(list(workdir.iterdir()))}.csv"
        with opener(path) as source:
            if encoding == "utf-8":
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
            else:
                _transcode(source, encoding, target, str(path))
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path} cannot be read: {exc}.") from None
    return target
