"""Hostile input through HTTP: decompression bombs, frame bombs, hostile SVGs, polyglots,
truncated and bit-flipped files of every format, empty bodies, wrong Content-Types, broken
multipart and absurd parameter values, in each dialect's error shape.

Every case must get its documented typed answer within a bounded time, and the server
must answer a normal request right after. Crafted files are made here from the corpus
by category (a real file of the format with its header patched), never by file name,
so the suite works with any corpus that has the categories.
"""

import gzip
import http.server
import json
import random
import struct
import subprocess
import threading
import time
import unittest
import urllib.parse
import zlib

from harness import EXE, FilePart, ServerProcess, ServerTestCase, binary_is_sanitized, multipart, read_response, request_head

MB = 1024 * 1024

# Each hostile request must be answered within this many seconds (ASan makes the server
# about three times slower, and the machine is shared).
BOUND = 20.0 * (3 if binary_is_sanitized() else 1)

# Categories of the corpus by the format they hold: one real file each is enough.
FORMAT_CATEGORIES = {
    "jpeg": ("photo-small", "exif-orientation", "photo-kodak", "jpeg-progressive"),
    "png": ("png-alpha", "png-palette-alpha", "png-interlaced", "grayscale", "png-16bit"),
    "webp": ("webp-lossy", "webp-lossy-alpha", "webp-lossless-alpha"),
    "gif": ("gif-static", "gif-animated"),
    "tiff": ("tiff", "tiff-16bit", "tiff-cmyk"),
    "bmp": ("bmp",),
    "avif": ("avif",),
    "heif": ("heic",),
    "jxl": ("jxl", "jxl-alpha"),
}


# ------------------------------------------------------------------ crafted files


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width, height):
    """A valid PNG header claiming width x height, with a few hundred bytes of IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 << 16), 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_with_size(data, width, height):
    """A real JPEG whose frame header (SOFn) claims width x height."""
    out = bytearray(data)
    i = 2
    while i + 9 < len(out):
        if out[i] != 0xFF:
            break
        marker = out[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        (length,) = struct.unpack(">H", out[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            out[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(out)
        i += 2 + length
    raise AssertionError("no JPEG frame header found")


def gif(width, height, frames, frame_size=(1, 1)):
    """An animated GIF: `frames` frames of frame_size pixels on a width x height screen."""
    fw, fh = frame_size
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    # One frame: a graphic control extension, an image descriptor and the LZW data of
    # fw*fh pixels of colour 0 (min code size 2: clear, then literal codes, end).
    pixels = fw * fh
    lzw = lzw_zero_pixels(pixels)
    frame = (b"\x21\xf9\x04\x04\x02\x00\x00\x00" + b"\x2c" + struct.pack("<HHHH", 0, 0, fw, fh) + b"\x00" +
             b"\x02" + b"".join(bytes([len(lzw[k:k + 255])]) + lzw[k:k + 255] for k in range(0, len(lzw), 255)) + b"\x00")
    return head + loop + frame * frames + b"\x3b"


def lzw_zero_pixels(count):
    """GIF LZW (min code size 2) for `count` pixels of index 0, resetting the dictionary
    often enough that codes stay 3 bits wide: clear(4), 0, clear, 0, ..., end(5)."""
    return gif_codes([4, 0] * count + [5])


def webp_with_size(data, width, height):
    """A real WebP whose first image header claims width x height (VP8, VP8L or VP8X)."""
    out = bytearray(data)
    chunk = bytes(out[12:16])
    if chunk == b"VP8X":
        out[24:27] = (width - 1).to_bytes(3, "little")
        out[27:30] = (height - 1).to_bytes(3, "little")
    elif chunk == b"VP8 ":
        out[26:28] = struct.pack("<H", width & 0x3FFF)
        out[28:30] = struct.pack("<H", height & 0x3FFF)
    elif chunk == b"VP8L":
        (bits,) = struct.unpack("<I", out[21:25])
        bits = (bits & ~0x0FFFFFFF) | ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14)
        out[21:25] = struct.pack("<I", bits)
    else:
        raise AssertionError("unknown WebP chunk %r" % chunk)
    return bytes(out)


def _jxl_u32_size(bits, pos):
    """A JPEG XL SizeHeader dimension (U32 of 9, 13, 18 or 30 bits, plus one): (value, next position)."""
    selector = bits[pos] | bits[pos + 1] << 1
    count = (9, 13, 18, 30)[selector]
    value = sum(bits[pos + 2 + i] << i for i in range(count))
    return value + 1, pos + 2 + count


def jxl_with_size(data, width, height):
    """A real naked JPEG XL codestream (FF 0A) whose SizeHeader claims width x height.
    The header is a bit stream (least significant bit first): the old SizeHeader is cut
    out and a 30-bit one for each side put in its place, the bits after it unchanged."""
    assert data[:2] == b"\xff\x0a", "needs a naked codestream"
    bits = [(byte >> i) & 1 for byte in data[2:] for i in range(8)]
    pos = 1
    if bits[0]:  # small: height/8 in 5 bits
        pos += 5
    else:
        _, pos = _jxl_u32_size(bits, pos)
    ratio = sum(bits[pos + i] << i for i in range(3))
    pos += 3
    if ratio == 0:
        if bits[0]:
            pos += 5
        else:
            _, pos = _jxl_u32_size(bits, pos)
    new = [0]  # not small
    new += [1, 1] + [((height - 1) >> i) & 1 for i in range(30)]
    new += [0, 0, 0]  # no ratio: the width follows
    new += [1, 1] + [((width - 1) >> i) & 1 for i in range(30)]
    new += bits[pos:]
    new += [0] * (-len(new) % 8)
    packed = bytes(sum(new[i + j] << j for j in range(8)) for i in range(0, len(new), 8))
    return b"\xff\x0a" + packed


def tiff_with_size(data, width, height):
    """A real TIFF whose first IFD claims width x height."""
    out = bytearray(data)
    endian = "<" if out[:2] == b"II" else ">"
    (ifd,) = struct.unpack(endian + "I", out[4:8])
    (count,) = struct.unpack(endian + "H", out[ifd:ifd + 2])
    for n in range(count):
        at = ifd + 2 + 12 * n
        tag, typ = struct.unpack(endian + "HH", out[at:at + 4])
        value = {256: width, 257: height}.get(tag)
        if value is None:
            continue
        if typ == 3:
            out[at + 8:at + 10] = struct.pack(endian + "H", value)
        elif typ == 4:
            out[at + 8:at + 12] = struct.pack(endian + "I", value)
    return bytes(out)


def bit_flipped(data, seed, flips=24, keep=64):
    """`flips` random bits flipped after the first `keep` bytes (the magic numbers stay,
    so the file still reaches its decoder)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        at = rng.randrange(min(keep, len(out) - 1), len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text x="0" y="20">&i;</text></svg>
"""


def svg_with_reference(href):
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">'
            '<image x="0" y="0" width="64" height="64" xlink:href="%s" href="%s"/>'
            '<use xlink:href="%s#x"/></svg>' % (href, href, href)).encode()


def deeply_nested_svg(depth):
    return (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' + b"<g>" * depth +
            b'<rect width="5" height="5"/>' + b"</g>" * depth + b"</svg>")


def many_elements_svg(count):
    rect = b'<rect x="1" y="1" width="8" height="8" fill="red" filter="url(#b)"/>'
    return (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<filter id="b"><feGaussianBlur stdDeviation="50"/></filter>' + rect * count + b"</svg>")


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 - http.server's name
        RecordingHandler.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


# ----------------------------------------------------------------------- the suite


class HostileTestCase(ServerTestCase):
    # Small upload limit so oversized parts are cheap to send; two workers as in CI.
    server_env = {"MAX_UPLOAD_MB": 4, "WORKERS": 2, "SVG_TIMEOUT_MS": 3000}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal = cls.corpus.pick("photo-small", "grayscale", where=lambda r: r.format in ("jpeg", "png"))

    def sample(self, fmt):
        """The smallest corpus file of a format (by category), or skip."""
        return self.corpus.pick(*FORMAT_CATEGORIES[fmt], where=lambda r: r.format == fmt)

    def timed(self, send):
        start = time.monotonic()
        resp = send()
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, BOUND, "answer took %.1f s" % elapsed)
        return resp

    def native(self, data, content_type="application/octet-stream", **params):
        path = "/api/v1/process"
        if params:
            path += "?" + urllib.parse.urlencode(params)
        return self.timed(lambda: self.server.post_raw(path, data, content_type))

    def feather(self, parts):
        return self.timed(lambda: self.server.post_multipart("/api/compress", parts))

    def petite(self, parts):
        return self.timed(lambda: self.server.post_multipart("/v1/process", parts))

    def assertStillServing(self):
        self.assertTrue(self.server.running(), "server exited: " + self.server.stderr_text()[-2000:])
        self.assertEqual(self.server.get("/healthz", timeout=BOUND).status, 200)
        resp = self.server.post_raw("/api/v1/process?width=32&format=png", self.normal.read(), timeout=BOUND * 2)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.image().format, "png")

    def tearDown(self):
        # The server answers a normal request right after every hostile case.
        if self.server is not None:
            self.assertStillServing()
        super().tearDown()

    def assertTypedRejection(self, resp, allowed):
        """A JSON error in the native shape whose (status, code) is one of `allowed`."""
        self.assertTrue(resp.header("Content-Type", "").startswith("application/json"), resp)
        doc = resp.json()
        self.assertIsInstance(doc.get("error"), dict, doc)
        self.assertIn((resp.status, doc["error"].get("code")), allowed, doc)
        self.assertTrue(doc["error"].get("message"))
        return doc


class DecompressionBombTest(HostileTestCase):
    PIXELS = (422, "TOO_MANY_PIXELS")

    def test_png_bomb_in_every_dialect(self):
        bomb = png_bomb(60000, 60000)
        self.assertLess(len(bomb), 1024)
        self.assertNativeError(self.native(bomb, width=100), 422, "TOO_MANY_PIXELS")
        self.assertFeatherError(self.feather([FilePart("file", "bomb.png", bomb)]), 422, "TOO_MANY_PIXELS")
        self.assertPetiteError(self.petite([FilePart("file", "bomb.png", bomb)]), 400)

    def test_jpeg_claiming_huge_dimensions(self):
        bomb = jpeg_with_size(self.sample("jpeg").read(), 65000, 65000)
        self.assertNativeError(self.native(bomb, width=100), 422, "TOO_MANY_PIXELS")

    def test_webp_claiming_huge_dimensions(self):
        bomb = webp_with_size(self.sample("webp").read(), 16383, 16383)
        self.assertTypedRejection(self.native(bomb, width=100), [self.PIXELS, (422, "INVALID_IMAGE")])

    def test_jxl_claiming_huge_dimensions(self):
        src = self.corpus.pick("jxl-alpha", "jxl", where=lambda r: r.format == "jxl" and r.read()[:2] == b"\xff\x0a")
        bomb = jxl_with_size(src.read(), 60000, 60000)
        self.assertNativeError(self.native(bomb, width=100), 422, "TOO_MANY_PIXELS")
        self.assertFeatherError(self.feather([FilePart("file", "bomb.jxl", bomb)]), 422, "TOO_MANY_PIXELS")

    def test_tiff_claiming_huge_dimensions(self):
        bomb = tiff_with_size(self.sample("tiff").read(), 60000, 60000)
        self.assertTypedRejection(self.native(bomb, width=100), [self.PIXELS, (422, "INVALID_IMAGE")])

    def test_gif_with_a_huge_logical_screen(self):
        # libvips sizes a GIF by its frames, not by the screen it claims: either the
        # claim is refused or it costs nothing (never a 4-gigapixel canvas).
        bomb = gif(65535, 65535, 1)
        self.assertLess(len(bomb), 100)
        resp = self.native(bomb, format="png")
        if resp.status == 200:
            info = resp.image()
            self.assertLessEqual(info.width * info.height, 8000 * 8000)
        else:
            self.assertNativeError(resp, 422, "TOO_MANY_PIXELS")

    def test_gif_with_thousands_of_frames(self):
        bomb = gif(1, 1, 5000)
        self.assertNativeError(self.native(bomb, format="gif"), 422, "TOO_MANY_FRAMES")
        self.assertFeatherError(self.feather([FilePart("file", "frames.gif", bomb)]), 422, "TOO_MANY_FRAMES")

    def test_gif_whose_frames_together_exceed_the_pixel_limit(self):
        # 900 frames (under MAX_FRAMES) of a 400x400 screen: 144 megapixels in all.
        bomb = gif(400, 400, 900)
        self.assertNativeError(self.native(bomb, format="gif"), 422, "TOO_MANY_PIXELS")

    def test_bombs_of_the_corpus_in_every_dialect(self):
        rows = self.corpus.category("bomb-dimensions", where=lambda r: r.pixels > 100_000_000)
        if not rows:
            self.skipTest("no bomb over the default pixel limit")
        for src in rows:
            with self.subTest(file=src.file):
                self.assertFeatherError(self.feather([src.part()]), 422, "TOO_MANY_PIXELS")
                self.assertPetiteError(self.petite([src.part()]), 400)


class HostileSvgTest(HostileTestCase):
    # What a hostile SVG may get: refused as invalid, too big or too slow, or rendered
    # harmlessly. Never a 500, never a hang.
    ANSWERS = [(422, "INVALID_IMAGE"), (422, "TOO_MANY_PIXELS"), (504, "TIMEOUT"), (415, "UNSUPPORTED_FORMAT")]

    def answer(self, svg):
        resp = self.native(svg, "image/svg+xml", format="png")
        if resp.status == 200:
            self.assertEqual(resp.image().format, "png")
        else:
            self.assertTypedRejection(resp, self.ANSWERS)
        return resp

    def test_entity_expansion(self):
        self.answer(BILLION_LAUGHS)

    def test_external_references_are_never_fetched(self):
        RecordingHandler.hits = []
        listener = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
        thread = threading.Thread(target=listener.serve_forever, daemon=True)
        thread.start()
        try:
            port = listener.server_address[1]
            for href in ("http://127.0.0.1:%d/x.png" % port, "file://%s" % self.normal.path, "file:///etc/passwd",
                         "/etc/passwd", "data:image/png;base64,AAAA"):
                with self.subTest(href=href):
                    self.answer(svg_with_reference(href))
        finally:
            listener.shutdown()
            listener.server_close()
        self.assertEqual(RecordingHandler.hits, [], "the SVG renderer fetched an external reference")

    def test_external_file_reference_is_not_drawn(self):
        # A local photo referenced by file:// must not show up in the result: it stays
        # the empty (transparent) canvas.
        resp = self.native(svg_with_reference("file://%s" % self.normal.path), "image/svg+xml", format="png",
                           width=8, background="transparent")
        if resp.status != 200:
            self.assertTypedRejection(resp, self.ANSWERS)
            return
        # 8x8 transparent PNG compresses to almost nothing; a drawn photo would not.
        self.assertLess(len(resp.body), 200, "referenced image appears to have been drawn")

    def test_deep_nesting(self):
        self.answer(deeply_nested_svg(100_000))

    def test_enormous_canvas(self):
        # A vector image is drawn at the size it will be used: within the output limit.
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1000000"><rect width="10" height="10"/></svg>'
        resp = self.answer(svg)
        if resp.status == 200:
            info = resp.image()
            self.assertLessEqual(max(info.width, info.height), 8000)

    def test_many_expensive_elements(self):
        self.answer(many_elements_svg(20_000))


class DamagedFileTest(HostileTestCase):
    DAMAGED = [(422, "INVALID_IMAGE"), (422, "TOO_MANY_PIXELS"), (422, "TOO_MANY_FRAMES")]

    def formats(self):
        out = []
        for fmt in FORMAT_CATEGORIES:
            rows = self.corpus.category(*FORMAT_CATEGORIES[fmt], where=lambda r, f=fmt: r.format == f)
            if rows:
                out.append((fmt, min(rows, key=lambda r: (r.bytes, r.file))))
        self.assertGreaterEqual(len(out), 6, "the corpus lacks most formats")
        return out

    def test_truncated_files_of_every_format_are_422(self):
        # Half the file, three quarters, and little more than the header. A cut that only
        # loses trailing metadata (an IFD or EXIF after the pixels) may still decode, but
        # then to exactly the whole file's result: never a zero- or grey-filled remainder.
        for fmt, src in self.formats():
            data = src.read()
            whole = None
            for cut in (len(data) // 2, len(data) * 3 // 4, 40):
                with self.subTest(format=fmt, cut=cut):
                    resp = self.native(data[:cut], format="png")
                    if resp.status == 200 and cut > 40:
                        if whole is None:
                            whole = self.native(data, format="png")
                        self.assertEqual(resp.body, whole.body, "a truncated %s decoded with filler" % fmt)
                    else:
                        self.assertTypedRejection(resp, self.DAMAGED)

    def test_bit_flipped_files_of_every_format(self):
        # A flipped bit may land where decoders do not look: then an image comes back.
        # Otherwise the answer is a typed 422, never a 500.
        for fmt, src in self.formats():
            data = src.read()
            for seed in range(3):
                with self.subTest(format=fmt, seed=seed):
                    resp = self.native(bit_flipped(data, seed), format="png")
                    if resp.status == 200:
                        self.assertEqual(resp.image().format, "png")
                    else:
                        self.assertTypedRejection(resp, self.DAMAGED)

    def test_polyglots(self):
        jpeg = self.sample("jpeg").read()
        png = self.sample("png").read()
        zip_tail = b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06" + b"\x00" * 18
        # Image first, payload after: the image is what counts.
        for name, data in (("jpeg+zip", jpeg + zip_tail), ("png+html", png + b"<html><script>alert(1)</script></html>")):
            with self.subTest(polyglot=name):
                resp = self.native(data, format="webp")
                self.assertEqual(resp.status, 200, resp)
                self.assertEqual(resp.image().format, "webp")
        # Magic numbers of an image over something that is not one: refused as broken.
        for name, data in (("gif+js", b"GIF89a/*\x00\x00*/=1;alert(document.domain);//" + b"\x00" * 64),
                           ("png-magic+php", b"\x89PNG\r\n\x1a\n<?php system($_GET['c']); ?>"),
                           ("jpeg-magic+html", b"\xff\xd8\xff\xe0<html><body>hi</body></html>")):
            with self.subTest(polyglot=name):
                self.assertTypedRejection(self.native(data), self.DAMAGED)
        # A PDF (or HTML) carrying an image is not an image: the sniffed format decides.
        for name, data in (("pdf+jpeg", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + jpeg),
                           ("html+svg", b"<!DOCTYPE html><html><body><p>x</p></body></html>")):
            with self.subTest(polyglot=name):
                self.assertNativeError(self.native(data), 415, "UNSUPPORTED_FORMAT")


class BodyShapeTest(HostileTestCase):
    def test_zero_byte_bodies_in_every_dialect(self):
        self.assertNativeError(self.native(b""), 400, "INVALID_INPUT")
        self.assertNativeError(self.native(b"", "image/png"), 400, "INVALID_INPUT")
        self.assertFeatherError(self.feather([FilePart("file", "empty.png", b"")]), 400, "INVALID_INPUT")
        self.assertPetiteError(self.petite([FilePart("file", "empty.png", b"")]), 400)
        self.assertPetiteError(self.timed(lambda: self.server.post_raw("/v1/process", b"", "image/png")), 400)

    def test_zero_filled_body_is_415(self):
        self.assertNativeError(self.native(b"\x00" * 4096, "image/jpeg"), 415, "UNSUPPORTED_FORMAT")

    def test_content_type_is_never_trusted_for_the_format(self):
        png = self.sample("png").read()
        for label in ("image/jpeg", "image/gif", "text/plain", "application/x-www-form-urlencoded"):
            with self.subTest(content_type=label):
                resp = self.native(png, label, format="original")
                self.assertEqual(resp.status, 200, resp)
                self.assertEqual(resp.image().format, "png")
        self.assertNativeError(self.native(b"hello, world\n" * 10, "image/png"), 415, "UNSUPPORTED_FORMAT")

    def test_image_bytes_labelled_as_json_or_multipart_are_400(self):
        jpeg = self.sample("jpeg").read()
        self.assertNativeError(self.native(jpeg, "application/json"), 400, "INVALID_INPUT")
        self.assertNativeError(self.native(jpeg, "multipart/form-data; boundary=abc"), 400, "INVALID_INPUT")
        self.assertNativeError(self.native(jpeg, "multipart/form-data"), 400, "INVALID_INPUT")

    def test_hostile_json_bodies(self):
        deep = b"[" * 100_000 + b"]" * 100_000
        for name, body in (("deep nesting", deep), ("not an object", b'"abc"'), ("image is a number", b'{"image": 1e308}'),
                           ("truncated", b'{"image": "iVBOR'), ("nul", b'{"image": "\x00"}'),
                           ("huge exponent", b'{"image": "AAAA", "width": 1e99999}')):
            with self.subTest(body=name):
                resp = self.timed(lambda: self.server.post_raw("/api/v1/process", body, "application/json"))
                self.assertNativeError(resp, 400, "INVALID_INPUT")

    def test_base64_that_decodes_to_garbage_is_415(self):
        resp = self.timed(lambda: self.server.post_json("/api/v1/process", {"image": "data:image/png;base64,AAAAAAAA"}))
        self.assertNativeError(resp, 415, "UNSUPPORTED_FORMAT")


class MultipartTest(HostileTestCase):
    def post(self, path, body, content_type):
        return self.timed(lambda: self.server.post_raw(path, body, content_type))

    def test_missing_file_part_in_each_dialect(self):
        body, ctype = multipart([("quality", "80")])
        self.assertNativeError(self.post("/api/v1/process", body, ctype), 400, "INVALID_INPUT")
        self.assertFeatherError(self.post("/api/compress", body, ctype), 400, "INVALID_INPUT")
        self.assertPetiteError(self.post("/v1/process", body, ctype), 400)

    def test_duplicated_file_parts_are_400(self):
        part = self.normal.part()
        body, ctype = multipart([part, FilePart("file", "again.jpg", part.data)])
        self.assertNativeError(self.post("/api/v1/process", body, ctype), 400, "INVALID_INPUT")
        self.assertFeatherError(self.post("/api/compress", body, ctype), 400, "INVALID_INPUT")
        self.assertPetiteError(self.post("/v1/process", body, ctype), 400)

    def test_oversized_file_part_is_413(self):
        body, ctype = multipart([FilePart("file", "big.jpg", self.normal.read() + b"\x00" * (5 * MB))])
        self.assertNativeError(self.post("/api/v1/process", body, ctype), 413, "FILE_TOO_LARGE")
        self.assertPetiteError(self.post("/v1/process", body, ctype), 400)

    def test_bad_boundaries_are_400(self):
        body, _ = multipart([self.normal.part()], boundary="abc")
        for ctype in ("multipart/form-data; boundary=", "multipart/form-data; boundary=" + "x" * 200,
                      "multipart/form-data; boundary=zzz", 'multipart/form-data; boundary="unterminated',
                      "multipart/form-data; charset=utf-8"):
            with self.subTest(content_type=ctype):
                self.assertNativeError(self.post("/api/v1/process", body, ctype), 400, "INVALID_INPUT")
                self.assertFeatherError(self.post("/api/compress", body, ctype), 400, "INVALID_INPUT")

    def test_malformed_bodies_are_400(self):
        data = self.normal.read()
        b = b"--XB\r\n"
        cases = {
            "no closing delimiter": b + b'Content-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n' + data,
            "no blank line after headers": b + b'Content-Disposition: form-data; name="file"\r\n' + data,
            "no content-disposition": b + b"Content-Type: image/jpeg\r\n\r\n" + data + b"\r\n--XB--\r\n",
            "huge part header": b + b"X-Pad: " + b"a" * 100_000 + b"\r\n\r\n" + data + b"\r\n--XB--\r\n",
            "nothing but the end": b"--XB--\r\n",
            "no delimiter at all": data,
        }
        for name, body in cases.items():
            with self.subTest(case=name):
                self.assertNativeError(self.post("/api/v1/process", body, "multipart/form-data; boundary=XB"), 400,
                                       "INVALID_INPUT")

    def test_thousands_of_parts_are_400(self):
        body, ctype = multipart([("f%d" % i, "1") for i in range(5000)])
        self.assertNativeError(self.post("/api/v1/process", body, ctype), 400, "INVALID_INPUT")

    def test_truncated_body_then_close_does_not_hurt(self):
        body, ctype = multipart([self.normal.part()])
        sock = self.server.raw_socket(timeout=BOUND)
        try:
            sock.sendall(request_head("POST", "/api/v1/process", {"Content-Type": ctype,
                                                                  "Content-Length": str(len(body))}) + body[:len(body) // 2])
        finally:
            sock.close()


class AbsurdParameterTest(HostileTestCase):
    # Values no numeric field accepts, whatever its range.
    VALUES = ["NaN", "nan", "inf", "-inf", "1e308", "-1e308", "99999999999999999999999",
              "18446744073709551617", "0x10", "１００", "٣", "10px", "", " ", "1,2", "\u202e5", "%00", "true"]

    def test_native_numeric_parameters(self):
        data = self.normal.read()
        for field in ("width", "height", "quality", "rotate", "blur", "brightness", "effort", "targetKb"):
            # Negative values are in range for rotate and brightness (-360.., -100..).
            values = self.VALUES + ([] if field in ("rotate", "brightness") else ["-1"])
            for value in values:
                with self.subTest(field=field, value=value):
                    resp = self.native(data, **{field: value})
                    self.assertNativeError(resp, 400, "INVALID_INPUT")

    def test_native_text_parameters(self):
        data = self.normal.read()
        for field, value in (("format", "jpeg\x00png"), ("format", "ＪＰＥＧ"), ("fit", "cover" * 1000),
                             ("gravity", "\U0001F600"), ("background", "#gggggg"), ("background", "300,0,0"),
                             ("crop", "0,0,-1,-1"), ("crop", "1e308,0,10,10"), ("crop", "0,0,10"), ("grayscale", "maybe")):
            with self.subTest(field=field, value=value):
                self.assertNativeError(self.native(data, **{field: value}), 400, "INVALID_INPUT")

    def test_feather_fields(self):
        for field in ("quality", "maxWidth", "maxHeight", "targetMB", "rotate", "blur", "effort", "cropWidth"):
            for value in ("-1" if field != "rotate" else "-1e9", "NaN", "1e308", "99999999999999999999999", "１", "10px"):
                with self.subTest(field=field, value=value):
                    resp = self.feather([self.normal.part(), (field, value)])
                    self.assertFeatherError(resp, 400, "INVALID_INPUT")

    def test_petiteimg_operation_settings(self):
        for op, key in (("resize", "width"), ("resize", "height"), ("crop", "width"), ("compress", "quality")):
            # (null is "not given", as in the seed's examples: not listed here.)
            for value in (-1, 1e308, 10 ** 30, "NaN", "１００", [1], {"a": 1}):
                with self.subTest(op=op, key=key, value=value):
                    ops = json.dumps([{"op": op, "settings": {key: value}}])
                    self.assertPetiteError(self.petite([self.normal.part(), ("operations", ops)]), 400)

    def test_many_and_huge_query_parameters(self):
        data = self.normal.read()
        # A hundred unknown names: a 400 naming the first; a thousand (over the
        # parser's 256-field cap, within the header limit): a plain 400.
        path = "/api/v1/process?" + "&".join("p%d=%d" % (i, i) for i in range(100))
        resp = self.timed(lambda: self.server.post_raw(path, data, "image/jpeg"))
        self.assertNativeError(resp, 400, "INVALID_INPUT", field="p0")
        path = "/api/v1/process?" + "&".join("p%d=%d" % (i, i) for i in range(1000))
        resp = self.timed(lambda: self.server.post_raw(path, data, "image/jpeg"))
        self.assertNativeError(resp, 400, "INVALID_INPUT")
        # Past the 16 KB header limit: a typed 431, not a dropped connection.
        path = "/api/v1/process?" + "&".join("p%d=%d" % (i, i) for i in range(3000))
        resp = self.timed(lambda: self.server.post_raw(path, data, "image/jpeg"))
        self.assertNativeError(resp, 431, "INVALID_INPUT")

    def test_malformed_http_heads_get_a_400(self):
        for name, head in (("bad method", b"G\x00T / HTTP/1.1\r\nHost: x\r\n\r\n"),
                           ("bad version", b"GET / HTTP/9.9x\r\nHost: x\r\n\r\n"),
                           ("two lengths", b"POST /api/v1/process HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                                           b"Content-Length: 2\r\n\r\nab"),
                           ("bad field", b"GET /healthz HTTP/1.1\r\nHo st: x\r\n\r\n")):
            with self.subTest(head=name):
                sock = self.server.raw_socket(timeout=BOUND)
                try:
                    sock.sendall(head)
                    resp, _ = read_response(sock, timeout=BOUND)
                finally:
                    sock.close()
                self.assertEqual(resp.status, 400, resp)


if __name__ == "__main__":
    unittest.main()


# ------------------------------------------------- damaged chunks, made at test time
#
# A synthetic image, encoded here (PNG, GIF, by the standard library) or by the server
# (JPEG, WebP, TIFF), then damaged where its decoder has to notice: a chunk's CRC, a
# marker, a chunk size, LZW codes, an IFD offset. The decoder may notice at open or only
# while the encoder pulls pixels; either way it is the client's file: a typed 4xx.


def synthetic_png(width=64, height=48, alpha=False):
    """A gradient with some structure, 8-bit RGB(A), by zlib alone."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            row += bytes((x * 255 // width, y * 255 // height, (x ^ y) & 0xFF))
            if alpha:
                row.append(255 if x < width // 2 else 64)
        rows.append(bytes(row))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"".join(rows))) +
            png_chunk(b"IEND", b""))


def png_spans(data):
    """(kind, offset, payload size) of each PNG chunk: size, kind, payload, CRC."""
    out, at = [], 8
    while at + 12 <= len(data):
        (size,) = struct.unpack(">I", data[at:at + 4])
        out.append((data[at + 4:at + 8], at, size))
        at += 12 + size
    return out


def riff_spans(data):
    """(kind, offset, payload size) of each top-level RIFF chunk; payloads are padded to even."""
    out, at = [], 12
    while at + 8 <= len(data):
        (size,) = struct.unpack("<I", data[at + 4:at + 8])
        out.append((data[at:at + 4], at, size))
        at += 8 + size + (size & 1)
    return out


def patched(data, at, new):
    return data[:at] + new + data[at + len(new):]


def damaged_pngs(png):
    spans = {kind: (at, size) for kind, at, size in png_spans(png)}
    ihdr, ihdr_size = spans[b"IHDR"]
    idat, idat_size = spans[b"IDAT"]
    flip = lambda at: patched(png, at, bytes([png[at] ^ 0xFF]))  # noqa: E731
    garbage = bytes((b * 7 + 13) & 0xFF for b in png[idat + 10:idat + 8 + idat_size])
    return {
        "IHDR CRC": flip(ihdr + 8 + ihdr_size),
        "IDAT CRC": flip(idat + 8 + idat_size),
        "IDAT zlib garbage (CRC right)": png[:idat] + png_chunk(b"IDAT", png[idat + 8:idat + 10] + garbage) +
                                         png[idat + 12 + idat_size:],
        "IDAT length past the end": patched(png, idat, struct.pack(">I", 0x7FFFFFF0)),
        "no IDAT": png[:idat] + png[idat + 12 + idat_size:],
    }


def jpeg_segments(data):
    """(marker, offset, length with the marker) of each segment up to the scan."""
    out, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:
            return out + [(marker, at, len(data) - at)]
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        out.append((marker, at, length + 2))
        at += length + 2
    return out


def damaged_jpegs(jpeg):
    segments = jpeg_segments(jpeg)
    first = {}
    for marker, at, length in segments:
        first.setdefault(marker, (at, length))

    def without(marker):
        return jpeg[:2] + b"".join(jpeg[at:at + length] for m, at, length in segments if m != marker)

    sof, _ = first[0xC0]
    dqt, _ = first[0xDB]
    dht, _ = first[0xC4]
    sos, _ = first[0xDA]
    return {
        "no DQT": without(0xDB),
        "no SOF": without(0xC0),
        "no SOS": jpeg[:sos] + b"\xff\xd9",
        "SOS marker unknown": patched(jpeg, sos + 1, b"\x01"),
        "SOF with no components": patched(jpeg, sof + 9, b"\x00"),
        "SOF precision 3": patched(jpeg, sof + 4, b"\x03"),
        "DQT table id 7": patched(jpeg, dqt + 4, b"\x07"),
        "DQT length 2": patched(jpeg, dqt + 2, b"\x00\x02"),
        "DHT overfull code counts": patched(jpeg, dht + 5, b"\xff" * 16),
    }


def damaged_webps(webp, label):
    out = {
        label + ", RIFF size past the end": patched(webp, 4, struct.pack("<I", len(webp) * 3)),
        label + ", RIFF size 20": patched(webp, 4, struct.pack("<I", 20)),
    }
    for kind, at, size in riff_spans(webp):
        name = "%s, %s size " % (label, kind.decode("latin-1").strip())
        out[name + "past the end"] = patched(webp, at + 4, struct.pack("<I", 0x7FFFFFF0))
        out[name + "halved"] = patched(webp, at + 4, struct.pack("<I", size // 2))
        out[name + "zero"] = patched(webp, at + 4, struct.pack("<I", 0))
    return out


def gif_codes(codes):
    """3-bit GIF LZW codes (min code size 2) packed least significant bit first."""
    bits = nbits = 0
    out = bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += 3
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    return bytes(out + (bytes([bits]) if nbits else b""))


def gif_frame_data(colour, pixels=256):
    """LZW for `pixels` of one colour, resetting the table before each code."""
    return gif_codes([4, colour] * pixels + [5])


def gif_animation(frames, size=16):
    """An animated GIF on a size x size screen. Each frame is its LZW bytes (covering
    the screen) or (left, top, width, height, LZW bytes)."""
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", size, size, 0xF1, 0, 0))
    out += bytes((255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255))
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    for frame in frames:
        left, top, width, height, lzw = frame if isinstance(frame, tuple) else (0, 0, size, size, frame)
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00" + b"\x2c" + struct.pack("<HHHHB", left, top, width, height, 0)
        out += b"\x02" + b"".join(bytes([len(lzw[k:k + 255])]) + lzw[k:k + 255] for k in range(0, len(lzw), 255)) + b"\x00"
    return bytes(out + b"\x3b")


def damaged_tiffs(tiff, label):
    """A little-endian TIFF with its first IFD (and what it points to) damaged."""
    assert tiff[:2] == b"II", "expected a little-endian TIFF"
    (ifd,) = struct.unpack("<I", tiff[4:8])
    (count,) = struct.unpack("<H", tiff[ifd:ifd + 2])
    entry = {struct.unpack("<H", tiff[ifd + 2 + 12 * n:ifd + 4 + 12 * n])[0]: ifd + 2 + 12 * n for n in range(count)}
    out = {
        label + ", IFD offset past the end": patched(tiff, 4, struct.pack("<I", len(tiff) + 1000)),
        label + ", IFD offset 0": patched(tiff, 4, struct.pack("<I", 0)),
        label + ", IFD offset inside the pixels": patched(tiff, 4, struct.pack("<I", 9)),
        label + ", IFD of 65535 entries": patched(tiff, ifd, struct.pack("<H", 0xFFFF)),
    }
    strips = entry.get(273)
    (strip_count,) = struct.unpack("<I", tiff[strips + 4:strips + 8])
    if strip_count == 1:
        out[label + ", strip offset past the end"] = patched(tiff, strips + 8, struct.pack("<I", len(tiff) + 5000))
    byte_counts = entry.get(279)
    out[label + ", strip byte count 2 GB"] = patched(tiff, byte_counts + 8, struct.pack("<I", 0x7FFFFFF0))
    return out


class SyntheticSource:
    """Bytes made by the test, where the suite expects a corpus file."""

    def __init__(self, data):
        self.data = data

    def read(self):
        return self.data


class SyntheticImagesTestCase(HostileTestCase):
    """A hostile-suite class whose images are all made at test time: no corpus needed."""

    PETITE_CONVERT = json.dumps([{"op": "convert", "settings": {"format": "png"}}])

    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess(**cls.server_env).start()
        try:
            cls.png = synthetic_png()
            cls.normal = SyntheticSource(cls.png)
            cls.jpeg = cls.encoded(cls.png, format="jpeg")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def encoded(cls, data, **params):
        resp = cls.server.post_raw("/api/v1/process?" + urllib.parse.urlencode(params), data, timeout=BOUND * 2)
        if resp.status != 200:
            raise AssertionError("the server could not make the test image: %r" % resp)
        return resp.body

    def feather_as(self, data, fmt, name="image.bin"):
        return self.feather([FilePart("file", name, data), ("outputFormat", fmt)])

    def petite_to_png(self, data, name="image.bin"):
        return self.petite([FilePart("file", name, data), ("operations", self.PETITE_CONVERT)])


class DamagedChunkTest(SyntheticImagesTestCase):
    NATIVE_OUTPUTS = ("png", "webp", "jpeg")

    def assertDamagedEverywhere(self, cases, outputs=NATIVE_OUTPUTS):
        """422 INVALID_IMAGE in the native and Feather shapes, petiteimg's 400, for each
        output format: never a 5xx, never an image."""
        self.assertTrue(cases)
        for name, data in sorted(cases.items()):
            for fmt in outputs:
                with self.subTest(damage=name, dialect="native", output=fmt):
                    self.assertNativeError(self.native(data, format=fmt), 422, "INVALID_IMAGE")
            with self.subTest(damage=name, dialect="feather"):
                self.assertFeatherError(self.feather_as(data, "webp"), 422, "INVALID_IMAGE")
            with self.subTest(damage=name, dialect="petiteimg"):
                self.assertPetiteError(self.petite_to_png(data), 400)

    def test_png_chunks(self):
        self.assertDamagedEverywhere(damaged_pngs(self.png))

    def test_jpeg_markers(self):
        self.assertDamagedEverywhere(damaged_jpegs(self.jpeg))

    def test_webp_chunk_sizes(self):
        animation = gif_animation([gif_frame_data(0), gif_frame_data(1), gif_frame_data(2)])
        cases = {}
        cases.update(damaged_webps(self.encoded(self.png, format="webp"), "lossy"))
        cases.update(damaged_webps(self.encoded(synthetic_png(alpha=True), format="webp"), "lossy with alpha"))
        cases.update(damaged_webps(self.encoded(animation, format="webp"), "animated"))
        cases.update(damaged_webps(self.encoded(self.png, format="webp", lossless="true"), "lossless"))
        self.assertDamagedEverywhere(cases)

    def test_gif_lzw(self):
        self.assertDamagedEverywhere({
            "a code past the table": gif_animation([gif_codes([4, 0, 7, 7, 7, 5]), gif_frame_data(1)]),
            "end of data before the first pixel": gif_animation([gif_codes([5])]),
            "first code neither clear nor a colour": gif_animation([gif_codes([6, 6, 6])]),
        }, outputs=("png", "webp", "gif"))

    def test_tiff_ifds(self):
        cases = {}
        cases.update(damaged_tiffs(self.encoded(self.png, format="tiff", lossless="true"), "deflate"))
        cases.update(damaged_tiffs(self.encoded(self.png, format="tiff"), "JPEG-compressed"))
        self.assertDamagedEverywhere(cases)

    def test_damaged_avif_and_jxl_animations(self):
        # Our own decoders for animated AVIF (libavif) and JPEG XL (libjxl): a cut or a
        # flipped bit gives the frames before the damage or a typed 422, never a 5xx.
        animation = gif_animation([gif_frame_data(0), gif_frame_data(1), gif_frame_data(2)])
        damaged = [(422, "INVALID_IMAGE"), (422, "TOO_MANY_PIXELS"), (422, "TOO_MANY_FRAMES")]
        for fmt in ("avif", "jxl"):
            data = self.encoded(animation, format=fmt, effort=0)
            cases = {"cut at %d" % cut: data[:cut] for cut in (40, len(data) // 2, len(data) * 3 // 4, len(data) - 3)}
            cases.update({"bits flipped, seed %d" % seed: bit_flipped(data, seed, keep=32) for seed in range(4)})
            for name, bytes_ in sorted(cases.items()):
                for out in ("png", "webp"):
                    with self.subTest(format=fmt, damage=name, output=out):
                        resp = self.native(bytes_, format=out)
                        if resp.status == 200:
                            info = self.assertImageResponse(resp, out, 16, 16)
                            self.assertLessEqual(info.frames or 1, 3)
                        else:
                            self.assertTypedRejection(resp, damaged)

    def test_cli_reports_invalid_image(self):
        # `pixmill process` runs the same pipeline: the same classification, exit 1.
        for name, data in sorted(damaged_pngs(self.png).items()):
            for fmt in ("png", "webp"):
                with self.subTest(damage=name, output=fmt):
                    run = subprocess.run([EXE, "process", "-", "-o", "-", "--format", fmt], input=data,
                                         capture_output=True, timeout=BOUND)
                    self.assertEqual(run.returncode, 1, run.stderr)
                    self.assertIn(b"INVALID_IMAGE", run.stderr)
                    self.assertEqual(run.stdout, b"")

    def test_animation_with_a_broken_later_frame_converts_to_every_format(self):
        # The third frame's LZW data ends before its first pixel. A still output reads
        # only the first frame; an animated one plays the frames before the broken one.
        gif = gif_animation([gif_frame_data(0), gif_frame_data(1), gif_codes([5])])
        for fmt in ("png", "jpeg", "webp", "gif", "avif", "jxl", "tiff"):
            with self.subTest(output=fmt):
                info = self.assertImageResponse(self.native(gif, format=fmt), fmt, 16, 16)
                if fmt in ("webp", "gif", "avif"):
                    self.assertEqual(info.frames, 2, info)
        self.assertEqual(self.assertImageResponse(self.feather_as(gif, "webp"), "webp", 16, 16).frames, 2)
        self.assertImageResponse(self.petite_to_png(gif), "png", 16, 16)


def bmp_file(width, height, bits, compression, pixels, palette=(), header_size=40, masks=()):
    """A BMP built field by field: height < 0 is top-down; palette holds (r, g, b)."""
    dib = struct.pack("<IiiHHIIiiII", header_size, width, height, 1, bits, compression, len(pixels), 2835, 2835,
                      len(palette), 0)
    dib = (dib + b"".join(struct.pack("<I", m) for m in masks)).ljust(header_size, b"\x00")
    table = b"".join(bytes((b, g, r, 0)) for r, g, b in palette)
    offset = 14 + len(dib) + len(table)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + dib + table + pixels


def bmp_rows(width, rows, pixel):
    """Uncompressed rows in storage order, each padded to 4 bytes."""
    out = b""
    for row in range(rows):
        line = b"".join(pixel(x, row) for x in range(width))
        out += line + b"\x00" * (-len(line) % 4)
    return out


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
       b'<rect width="20" height="30" fill="#f00"/><rect x="20" width="20" height="30" fill="#00f"/></svg>')


class FormatVariantTest(SyntheticImagesTestCase):
    """Variants of the accepted formats that were refused or depended on the output
    format: top-down and run-length encoded BMPs, .svgz, GIF frames that disagree with
    the screen. Each converts in every dialect; what nothing decodes is a named 415."""

    PALETTE = ((255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255))

    def assertConvertsEverywhere(self, name, data, width, height, outputs=("png", "jpeg", "webp")):
        infos = []
        for fmt in outputs:
            with self.subTest(image=name, output=fmt):
                infos.append(self.assertImageResponse(self.native(data, format=fmt), fmt, width, height))
        with self.subTest(image=name, dialect="feather"):
            self.assertImageResponse(self.feather_as(data, "webp"), "webp", width, height)
        with self.subTest(image=name, dialect="petiteimg"):
            self.assertImageResponse(self.petite_to_png(data), "png", width, height)
        return infos

    def test_top_down_and_run_length_bmps(self):
        pixel24 = lambda x, row: bytes((200, row * 60, x * 40))  # noqa: E731
        pixel32 = lambda x, row: bytes((200, row * 60, x * 40, 128 + x))  # noqa: E731
        rle8 = bytes((3, 0, 0, 3, 1, 2, 3, 0, 0, 0, 6, 2, 0, 0, 6, 3, 0, 0, 6, 1, 0, 1))  # runs, a literal run, EOL, EOB
        rle4 = bytes((6, 0x12, 0, 0, 0, 6, 0x01, 0x23, 0x01, 0, 0, 0, 6, 0x33, 0, 0, 6, 0x30, 0, 1))
        cases = {
            "top-down 24-bit": bmp_file(6, -4, 24, 0, bmp_rows(6, 4, pixel24)),
            "top-down 32-bit": bmp_file(6, -4, 32, 0, bmp_rows(6, 4, pixel32)),
            "top-down 32-bit, V5 header, alpha mask": bmp_file(6, -4, 32, 3, bmp_rows(6, 4, pixel32), header_size=124,
                                                               masks=(0xFF0000, 0xFF00, 0xFF, 0xFF000000)),
            "RLE8": bmp_file(6, 4, 8, 1, rle8, self.PALETTE),
            "RLE4": bmp_file(6, 4, 4, 2, rle4, self.PALETTE),
        }
        for name, data in cases.items():
            self.assertConvertsEverywhere(name, data, 6, 4)

    def test_rle_bmp_pixels_it_skips_are_transparent(self):
        # A delta moves past pixels without drawing them: browsers show them transparent.
        rle8 = bytes((2, 0, 0, 2, 2, 1, 2, 1, 0, 1))
        info = self.assertImageResponse(self.native(bmp_file(6, 3, 8, 1, rle8, self.PALETTE), format="png"), "png", 6, 3)
        self.assertEqual(info.color_type, 6, "expected RGBA")

    def test_bmp_variants_nothing_decodes_are_415_named(self):
        for name, data, word in (("embedded JPEG", bmp_file(4, 4, 0, 4, self.jpeg), "JPEG"),
                                 ("embedded PNG", bmp_file(4, 4, 0, 5, self.png), "PNG"),
                                 ("64 bits per pixel", bmp_file(4, 4, 64, 0, b"\x00" * 128), "64 bits")):
            with self.subTest(variant=name):
                doc = self.assertNativeError(self.native(data, format="png"), 415, "UNSUPPORTED_FORMAT")
                self.assertIn(word, doc["error"]["message"])
                self.assertFeatherError(self.feather_as(data, "webp"), 415, "UNSUPPORTED_FORMAT")
                self.assertPetiteError(self.petite_to_png(data), 400)

    def test_svgz(self):
        self.assertConvertsEverywhere("svgz", gzip.compress(SVG), 40, 30)

    def test_svgz_bomb_is_a_typed_413(self):
        # Under 100 KB of gzip: an SVG whose comment inflates to 96 MiB of spaces (twelve
        # gzip members of 8 MiB each, which gzip(1) reads as one stream).
        spaces = gzip.compress(b" " * (8 << 20), 9)
        bomb = gzip.compress(b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><!--') + spaces * 12 + \
            gzip.compress(b"--></svg>")
        self.assertLess(len(bomb), 100_000)
        self.assertNativeError(self.native(bomb, format="png"), 413, "FILE_TOO_LARGE")
        self.assertFeatherError(self.feather_as(bomb, "webp"), 413, "FILE_TOO_LARGE")
        self.assertPetiteError(self.petite_to_png(bomb), 400)

    def test_gif_frames_that_disagree_with_the_screen(self):
        # One input, one answer whatever the output format: a frame larger than the
        # screen or lying outside it, with or without pixel data, never fails an
        # animated output where a still one succeeds.
        empty = gif_codes([5])
        cases = {
            "larger than the screen": [gif_frame_data(0), (0, 0, 24, 24, gif_frame_data(1, 24 * 24))],
            "larger than the screen, no data": [gif_frame_data(0), (4, 4, 24, 24, empty), gif_frame_data(2)],
            "outside the screen": [gif_frame_data(0), (40, 40, 8, 8, gif_frame_data(1, 64)), gif_frame_data(2)],
            "inside, no data": [gif_frame_data(0), (2, 2, 8, 8, empty), gif_frame_data(2)],
        }
        for name, frames in cases.items():
            self.assertConvertsEverywhere(name, gif_animation(frames), 16, 16, outputs=("png", "webp", "gif", "avif"))
