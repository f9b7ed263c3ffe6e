#!/usr/bin/env python3
"""Writes an initramfs: a cpio archive in the "newc" format the Linux kernel unpacks.

usage: mkcpio.py <output> <entry>...
  dir:<path>:<mode>                   a directory
  file:<path>:<mode>:<source file>    a regular file with the bytes of <source file>
  link:<path>:<target>                a symbolic link
  nod:<path>:<mode>:<c|b>:<major>:<minor>  a device node (no root rights needed)
Paths are inside the archive, without a leading slash. Every entry is owned by root.
"""
import os
import stat
import sys


def header(ino, mode, nlink, size, rdev_major, rdev_minor, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev_major, rdev_minor, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * ((4 - n % 4) % 4)


def entry(out, ino, mode, name, data=b"", nlink=1, major=0, minor=0):
    hdr = header(ino, mode, nlink, len(data), major, minor, name)
    blob = hdr + name.encode() + b"\0"
    out.write(blob + pad4(len(blob)))
    out.write(data + pad4(len(data)))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "wb") as out:
        for ino, spec in enumerate(sys.argv[2:], start=1):
            kind, rest = spec.split(":", 1)
            if kind == "dir":
                path, mode = rest.split(":")
                entry(out, ino, stat.S_IFDIR | int(mode, 8), path, nlink=2)
            elif kind == "file":
                path, mode, src = rest.split(":", 2)
                with open(src, "rb") as f:
                    entry(out, ino, stat.S_IFREG | int(mode, 8), path, f.read())
            elif kind == "link":
                path, target = rest.split(":", 1)
                entry(out, ino, stat.S_IFLNK | 0o777, path, target.encode())
            elif kind == "nod":
                path, mode, typ, major, minor = rest.split(":")
                fmt = stat.S_IFCHR if typ == "c" else stat.S_IFBLK
                entry(out, ino, fmt | int(mode, 8), path, major=int(major), minor=int(minor))
            else:
                sys.exit("mkcpio: unknown entry kind %r" % kind)
        entry(out, 0, 0, "TRAILER!!!")


if __name__ == "__main__":
    main()
