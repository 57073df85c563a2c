"""Encrypted files at rest, written and read as streams.

AES-GCM (``dsar.core.crypto``) seals a whole message in memory, so a large
export is cut into chunks of 1 MiB, each sealed on its own, framed by a 4-byte
length. A 100,000-record JSON export thus never sits whole in memory, neither
plain nor encrypted. Chunks written by Fernet before are still read. The SHA-256
kept with each file catches chunks removed, reordered or swapped
(``service.verify_file``). The key comes from ``DSAR_ENCRYPTION_KEYS``.

Chunks are AES-GCM rather than Fernet because of what Fernet costs per byte:
about 19 ms a MiB on the benchmark machine (base64 of the whole chunk,
HMAC-SHA256, AES-CBC) against 0.3 ms for AES-GCM. For the 21.8 MB JSON copy of
100,000 records that was 0.21 s of CPU, a quarter of the bare ``json.dumps``
of the same records (bench/README.md, issue 17).
"""

from __future__ import annotations

import hashlib
import os
import struct
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from dsar.core.crypto import keyring

CHUNK_SIZE = 1024 * 1024
_LENGTH = struct.Struct(">I")


def export_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def new_relative_path(extension: str) -> str:
    return f"exports/{uuid.uuid4().hex}.{extension}.enc"


def absolute(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("Export path outside the files directory.")
    return path


class EncryptedWriter:
    """A binary file-like object that encrypts what is written to it.

    Counts the plain-text size and its SHA-256 as it goes. ``tell`` but no
    ``seek``: ``zipfile`` then writes in streaming mode.
    """

    def __init__(self, relative_path: str):
        export_dir()
        self.relative_path = relative_path
        self.path = absolute(relative_path)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._buffer = bytearray()
        self._hash = hashlib.sha256()
        self.size = 0
        self.closed = False

    def write(self, data: bytes | str) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._buffer += data
        self._hash.update(data)
        self.size += len(data)
        if len(self._buffer) >= CHUNK_SIZE:
            self._flush_chunk()
        return len(data)

    def tell(self) -> int:
        return self.size

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        pass

    def _flush_chunk(self) -> None:
        if not self._buffer:
            return
        self._file.write(frame(keyring().seal(bytes(self._buffer))))
        self._buffer = bytearray()

    def close(self) -> None:
        if self.closed:
            return
        self._flush_chunk()
        self._file.close()
        self.closed = True

    def abort(self) -> None:
        """Close and remove a half-written file."""
        self._file.close()
        self.closed = True
        self.path.unlink(missing_ok=True)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()


def frame(token: bytes) -> bytes:
    """One chunk as stored: its length, then the sealed chunk."""
    return _LENGTH.pack(len(token)) + token


def iter_tokens(relative_path: str) -> Iterator[bytes]:
    """The sealed chunks of an encrypted file, still encrypted (for key rotation)."""
    with open(absolute(relative_path), "rb") as handle:
        while header := handle.read(_LENGTH.size):
            (length,) = _LENGTH.unpack(header)
            yield handle.read(length)


def iter_decrypted(relative_path: str) -> Iterator[bytes]:
    """The plain text of an encrypted file, chunk by chunk."""
    open_ = keyring().open
    for token in iter_tokens(relative_path):
        yield open_(token)


def read_decrypted(relative_path: str) -> bytes:
    return b"".join(iter_decrypted(relative_path))


def delete(relative_path: str) -> None:
    absolute(relative_path).unlink(missing_ok=True)
