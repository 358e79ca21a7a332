"""A policy directory uploaded as a .zip or .tar.gz, unpacked without trusting the archive.

Only regular files and folders are unpacked, each under the target folder (no absolute
names, no ``..``, no links or devices), within caps on the number of entries, the size of
each file and the total unpacked size. Sizes are counted as the bytes are inflated, never
taken from the archive's own word, so a compression bomb stops at the cap.
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from app.errors import TriageError

MAX_ARCHIVE_BYTES = 5_000_000
MAX_ENTRIES = 200
MAX_FILE_BYTES = 2_000_000
MAX_TOTAL_BYTES = 20_000_000
MAX_DEPTH = 8
_CHUNK = 64 * 1024
# Each tar entry has a 512-byte header and pads its data to 512 bytes; two end blocks.
_TAR_OVERHEAD = MAX_ENTRIES * 2 * 512 + 10 * 512


class PolicyArchiveError(TriageError):
    code = "invalid_archive"
    status = 422
    title = "The policy archive cannot be unpacked safely"


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = MAX_ENTRIES
    max_file_bytes: int = MAX_FILE_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES


def extract_policy_archive(
    *, data: bytes, target: Path, limits: ArchiveLimits | None = None
) -> Path:
    """Unpack ``data`` into the empty folder ``target``; the policy folder inside it."""
    limits = limits or ArchiveLimits()
    writer = _Writer(target, limits)
    if data[:4] == b"PK\x03\x04":
        _extract_zip(data, writer)
    elif data[:2] == b"\x1f\x8b":
        _extract_tar(data, writer, limits)
    else:
        raise PolicyArchiveError("The policy must be sent as a .zip or .tar.gz archive.")
    return policy_root(target)


def policy_root(target: Path) -> Path:
    """The unpacked folder holding the policy: the top level, or its one folder."""
    if any(path.suffix in {".yaml", ".yml"} for path in target.iterdir()):
        return target
    entries = [path for path in target.iterdir() if not path.name.startswith(("__MACOSX", "."))]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target


def safe_member_path(name: str) -> PurePosixPath:
    """The archive entry ``name`` as a relative path inside the target, or PolicyArchiveError."""
    if "\x00" in name or "\\" in name:
        raise PolicyArchiveError(f"The archive entry {name!r} has a character paths may not hold.")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise PolicyArchiveError(f"The archive entry {name!r} is an absolute path.", entry=name)
    parts = [part for part in path.parts if part not in {"", "."}]
    if ".." in parts:
        raise PolicyArchiveError(
            f"The archive entry {name!r} points outside the archive.", entry=name
        )
    if len(parts) > MAX_DEPTH:
        raise PolicyArchiveError(f"The archive entry {name!r} is nested too deep.", entry=name)
    return PurePosixPath(*parts)


class _Writer:
    """Writes entries under the target, counting entries and bytes against the caps."""

    def __init__(self, target: Path, limits: ArchiveLimits) -> None:
        self.target = target.resolve()
        self.limits = limits
        self.entries = 0
        self.total = 0

    def _place(self, name: str) -> Path | None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise PolicyArchiveError(
                f"The archive holds more than {self.limits.max_entries} entries."
            )
        relative = safe_member_path(name)
        if not relative.parts:
            return None
        destination = self.target.joinpath(*relative.parts)
        # Belt and braces: whatever the name said, the file lands inside the target.
        if not destination.resolve().is_relative_to(self.target):
            raise PolicyArchiveError(f"The archive entry {name!r} points outside the archive.")
        return destination

    def folder(self, name: str) -> None:
        destination = self._place(name)
        if destination is not None:
            destination.mkdir(parents=True, exist_ok=True)

    def file(self, name: str, stream: IO[bytes]) -> None:
        destination = self._place(name)
        if destination is None:
            return
        destination.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        try:
            with destination.open("xb") as out:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > self.limits.max_file_bytes:
                        raise PolicyArchiveError(
                            f"{name} is larger than {self.limits.max_file_bytes:,} bytes.",
                            entry=name,
                        )
                    if self.total > self.limits.max_total_bytes:
                        raise PolicyArchiveError(
                            f"The archive unpacks to more than {self.limits.max_total_bytes:,} "
                            "bytes."
                        )
                    out.write(chunk)
        except FileExistsError as error:
            raise PolicyArchiveError(f"The archive holds {name!r} twice.", entry=name) from error


def _extract_zip(data: bytes, writer: _Writer) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > writer.limits.max_entries:
                raise PolicyArchiveError(
                    f"The archive holds more than {writer.limits.max_entries} entries."
                )
            for info in infos:
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise PolicyArchiveError(
                        f"The archive entry {info.filename!r} is a symbolic link.",
                        entry=info.filename,
                    )
                if info.flag_bits & 0x1:
                    raise PolicyArchiveError(
                        f"The archive entry {info.filename!r} is encrypted.", entry=info.filename
                    )
                if info.is_dir():
                    writer.folder(info.filename)
                    continue
                # Zip tools that record no file type leave the type bits at zero.
                if stat.S_IFMT(mode) not in {0, stat.S_IFREG}:
                    raise PolicyArchiveError(
                        f"The archive entry {info.filename!r} is not a regular file.",
                        entry=info.filename,
                    )
                with archive.open(info) as stream:
                    writer.file(info.filename, stream)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise PolicyArchiveError(f"The zip archive cannot be read: {error}.") from error


def _inflate(data: bytes, limit: int) -> bytes:
    """The gzip stream ``data`` inflated, refused as soon as it passes ``limit`` bytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    while pending:
        out += inflater.decompress(pending, limit + 1 - len(out))
        if len(out) > limit:
            raise PolicyArchiveError(f"The archive unpacks to more than {limit:,} bytes.")
        pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    if not inflater.eof:
        raise PolicyArchiveError("The gzip stream is cut short.")
    return bytes(out)


def _extract_tar(data: bytes, writer: _Writer, limits: ArchiveLimits) -> None:
    try:
        raw = _inflate(data, limits.max_total_bytes + _TAR_OVERHEAD)
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
            for member in archive:
                if member.isdir():
                    writer.folder(member.name)
                    continue
                if not member.isfile():
                    kind = "link" if member.issym() or member.islnk() else "special file"
                    raise PolicyArchiveError(
                        f"The archive entry {member.name!r} is a {kind}.", entry=member.name
                    )
                if member.size > limits.max_file_bytes:
                    raise PolicyArchiveError(
                        f"{member.name} is larger than {limits.max_file_bytes:,} bytes.",
                        entry=member.name,
                    )
                stream = archive.extractfile(member)
                if stream is None:
                    raise PolicyArchiveError(f"The archive entry {member.name!r} is unreadable.")
                with stream:
                    writer.file(member.name, stream)
    except (tarfile.TarError, zlib.error, EOFError) as error:
        raise PolicyArchiveError(f"The tar archive cannot be read: {error}.") from error
