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


def _is_utf8(stream: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(path: Path, opener) -> str:
    with opener(path) as f:
        head = f.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        return "utf-8" if _is_utf8(f) else "gb18030"


def _transcode(source: BinaryIO, encoding: str, target: Path, name: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise InputError(f"{name} is neither UTF-8 nor GBK/GB18030 text.") from None


def utf8_file(path: Path, workdir: Path) -> Path:
    """`path` itself when it is plain UTF-8, else a UTF-8 copy written in `workdir`."""
    with path.open("rb") as f:
        compressed = f.read(2) == GZIP_MAGIC
    opener = gzip.open if compressed else _open
    try:
        encoding = _encoding(path, opener)
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
