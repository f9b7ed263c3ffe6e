#!/usr/bin/env python3
# Writes the uncompressed vmlinux (an ELF executable) an x86 bzImage carries, for booting it through
# its PVH entry note. The boot protocol's setup header (Documentation/arch/x86/boot.rst) says where
# the protected-mode code starts (setup_sects) and where in it the compressed payload lies
# (payload_offset, payload_length, protocol 2.08+); the payload's own magic says how it is
# compressed. Only the compressions Python decodes itself are handled: gzip, xz, lzma, bzip2.
#
# usage: bzimage-vmlinux.py <bzImage> <vmlinux>
import bz2
import gzip
import lzma
import struct
import sys


def payload(image):
    if image[0x202:0x206] != b"HdrS":
        sys.exit("bzimage-vmlinux: not an x86 bzImage (no HdrS setup header)")
    version = struct.unpack_from("<H", image, 0x206)[0]
    if version < 0x208:
        sys.exit(f"bzimage-vmlinux: boot protocol {version:#x} names no payload (2.08+ does)")
    setup_sects = image[0x1F1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    if start + length > len(image):
        sys.exit("bzimage-vmlinux: the payload lies outside the file")
    return image[start:start + length]


def decompress(data):
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(data)
    if data[:3] == b"BZh":
        return bz2.BZ2Decompressor().decompress(data)
    if data[:3] == b"\x5d\x00\x00":
        return lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(data)
    sys.exit(f"bzimage-vmlinux: unknown payload compression (magic {data[:6].hex()})")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bzimage-vmlinux.py <bzImage> <vmlinux>")
    with open(sys.argv[1], "rb") as f:
        image = f.read()
    vmlinux = decompress(payload(image))
    if vmlinux[:4] != b"\x7fELF":
        sys.exit("bzimage-vmlinux: the payload is not an ELF vmlinux")
    with open(sys.argv[2], "wb") as f:
        f.write(vmlinux)


main()
