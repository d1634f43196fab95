"""Tiny PNG writer and reader (8-bit grey, grey+alpha, RGB or RGBA, not interlaced) for the
integration tests: synthetic inputs are made here and outputs are read back pixel by
pixel, with nothing but the standard library."""

import struct
import zlib

_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode(width, height, pixel, channels=3):
    """A PNG whose pixel (x, y) is pixel(x, y), a tuple of `channels` values 0..255."""
    colour_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + _chunk(b"IEND", b"")


def bomb(width, height):
    """A valid PNG header claiming width x height (RGB), with a few hundred bytes of IDAT."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 65536, 9)) + _chunk(b"IEND", b"")


def solid(width, height, colour):
    return encode(width, height, lambda x, y: colour, len(colour))


class Image:
    def __init__(self, width, height, channels, data):
        self.width, self.height, self.channels, self.data = width, height, channels, data

    def pixel(self, x, y):
        i = (y * self.width + x) * self.channels
        return tuple(self.data[i:i + self.channels])


def decode(png):
    """Decodes an 8-bit, non-interlaced PNG: the harness's reader, pixels kept per channel."""
    from harness import read_png  # the one PNG reader of the integration tests
    pixels = read_png(png)
    return Image(pixels.width, pixels.height, pixels.channels, bytes(pixels.data))
