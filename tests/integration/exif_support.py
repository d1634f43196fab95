"""Adds a small EXIF block (camera make and model, and GPS coordinates) to a JPEG, built
here byte by byte, so that /api/v1/info can be tested on GPS data without a corpus file."""

import struct


def _rationals(values):
    return b"".join(struct.pack("<II", int(round(v * 100)), 100) for v in values)


def _dms(degrees):
    degrees = abs(degrees)
    d = int(degrees)
    m = int((degrees - d) * 60)
    s = (degrees - d - m / 60) * 3600
    return [d, m, s]


def exif_app1(make, model, latitude, longitude):
    """The APP1 segment: IFD0 (Make, Model, GPS pointer) and a GPS IFD, little-endian."""
    make_bytes = make.encode() + b"\0"
    model_bytes = model.encode() + b"\0"
    ifd0_entries = 3
    ifd0_size = 2 + 12 * ifd0_entries + 4
    data_start = 8 + ifd0_size
    make_offset = data_start
    model_offset = make_offset + len(make_bytes)
    gps_offset = model_offset + len(model_bytes)
    gps_entries = 4
    gps_size = 2 + 12 * gps_entries + 4
    lat_offset = gps_offset + gps_size
    lon_offset = lat_offset + 24

    def entry(tag, kind, count, value):
        return struct.pack("<HHI", tag, kind, count) + value

    ifd0 = struct.pack("<H", ifd0_entries)
    ifd0 += entry(0x010F, 2, len(make_bytes), struct.pack("<I", make_offset))
    ifd0 += entry(0x0110, 2, len(model_bytes), struct.pack("<I", model_offset))
    ifd0 += entry(0x8825, 4, 1, struct.pack("<I", gps_offset))
    ifd0 += struct.pack("<I", 0)
    gps = struct.pack("<H", gps_entries)
    gps += entry(0x0001, 2, 2, (b"N" if latitude >= 0 else b"S") + b"\0\0\0")
    gps += entry(0x0002, 5, 3, struct.pack("<I", lat_offset))
    gps += entry(0x0003, 2, 2, (b"E" if longitude >= 0 else b"W") + b"\0\0\0")
    gps += entry(0x0004, 5, 3, struct.pack("<I", lon_offset))
    gps += struct.pack("<I", 0)
    tiff = b"II*\0" + struct.pack("<I", 8) + ifd0 + make_bytes + model_bytes + gps + _rationals(_dms(latitude)) + _rationals(_dms(longitude))
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_exif(jpeg, make="PixmillCam", model="Model T", latitude=51.5, longitude=-0.125):
    assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
    return jpeg[:2] + exif_app1(make, model, latitude, longitude) + jpeg[2:]
