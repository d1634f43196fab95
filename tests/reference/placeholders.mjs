// Checks pixmill's /api/v1/info placeholders with the reference implementations:
// BlurHash and ThumbHash are decoded by the npm `blurhash` and `thumbhash` packages and
// compared with the original downscaled to the placeholder's detail (6 and 10 pixels on
// the long side: what 4 x 3 and ~7 x 7 cosine terms can hold) and enlarged back to the
// decoded size (mean absolute error per channel value, 0..255, over white), and with the
// decode of the reference encoder's own hash of the same picture. The perceptual hash is compared across re-encodings, a resize and different
// pictures. Prints one JSON line. Run by tests/integration/test_compositing_reference.py:
//   node placeholders.mjs BASE_URL
import sharp from 'sharp';
import { decode as decodeBlurhash, encode as encodeBlurhash } from 'blurhash';
import { rgbaToThumbHash, thumbHashToRGBA } from 'thumbhash';
import { lowPass, mae, pixmill, rgba, scene } from './common.mjs';

const [base] = process.argv.slice(2);

async function info(buffer) {
  const answer = await pixmill(base, '/api/v1/info', [['file', buffer]]);
  if (answer.status !== 200) throw new Error(`info answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`);
  return answer.json;
}

function hamming(a, b) {
  let x = BigInt('0x' + a) ^ BigInt('0x' + b);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

async function blurhashCheck(image, facts) {
  const w = 32;
  const h = Math.max(1, Math.round((w * facts.height) / facts.width));
  const decoded = decodeBlurhash(facts.blurhash, w, h);
  const original = await lowPass(await sharp(image).flatten({ background: '#ffffff' }).png().toBuffer(), 6, w, h);
  // The reference encoder on the same picture (64 px, as pixmill hashes it).
  const small = await rgba(await sharp(image).flatten({ background: '#ffffff' }).png().toBuffer(),
    facts.width >= facts.height ? 64 : Math.round((64 * facts.width) / facts.height),
    facts.width >= facts.height ? Math.round((64 * facts.height) / facts.width) : 64);
  const portrait = facts.height > facts.width;
  const theirs = encodeBlurhash(new Uint8ClampedArray(small.data), small.width, small.height, portrait ? 3 : 4, portrait ? 4 : 3);
  const theirsDecoded = decodeBlurhash(theirs, w, h);
  return {
    hash: facts.blurhash,
    referenceHash: theirs,
    maeToOriginal: mae(decoded, 4, original.data, 4, w * h),
    maeToReference: mae(decoded, 4, theirsDecoded, 4, w * h),
  };
}

// RGBA over white, so that the colour under transparent pixels does not count.
function overWhite(pixels) {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 4) {
    const a = pixels[i + 3] / 255;
    for (let c = 0; c < 3; c++) out[i + c] = Math.round(pixels[i + c] * a + 255 * (1 - a));
    out[i + 3] = 255;
  }
  return out;
}

async function thumbhashCheck(image, facts) {
  const bytes = Buffer.from(facts.thumbhash, 'base64');
  const decoded = thumbHashToRGBA(bytes);
  const original = await lowPass(image, 10, decoded.w, decoded.h);
  decoded.rgba = overWhite(decoded.rgba);
  original.data = overWhite(original.data);
  const fit = await sharp(image).ensureAlpha().resize(100, 100, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const theirs = thumbHashToRGBA(rgbaToThumbHash(fit.info.width, fit.info.height, fit.data));
  theirs.rgba = overWhite(theirs.rgba);
  const sameSize = theirs.w === decoded.w && theirs.h === decoded.h;
  return {
    hash: facts.thumbhash,
    size: [decoded.w, decoded.h],
    maeToOriginal: mae(decoded.rgba, 4, original.data, 4, decoded.w * decoded.h),
    maeToReference: sameSize ? mae(decoded.rgba, 4, theirs.rgba, 4, decoded.w * decoded.h, 4) : 255,
  };
}

const pictures = [
  { name: 'landscape', image: await scene(640, 480, 2) },
  { name: 'portrait', image: await scene(360, 540, 5) },
  {
    name: 'transparent',
    image: await sharp(await scene(400, 300, 7)).ensureAlpha()
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><circle cx="200" cy="150" r="130"/></svg>'), blend: 'dest-in' }])
      .png().toBuffer(),
  },
];

const result = { placeholders: [], phash: {} };
for (const p of pictures) {
  const facts = await info(p.image);
  result.placeholders.push({ name: p.name, blurhash: await blurhashCheck(p.image, facts), thumbhash: await thumbhashCheck(p.image, facts) });
}

// Perceptual hash: the same picture re-encoded and resized, and different pictures.
const original = await scene(1200, 800, 3);
const reference = (await info(original)).phash;
const variants = {
  jpeg60: await sharp(original).jpeg({ quality: 60 }).toBuffer(),
  webp70: await sharp(original).webp({ quality: 70 }).toBuffer(),
  half: await sharp(original).resize(600).png().toBuffer(),
  quarterJpeg: await sharp(original).resize(300).jpeg({ quality: 75 }).toBuffer(),
};
result.phash.same = {};
for (const [name, image] of Object.entries(variants)) result.phash.same[name] = hamming(reference, (await info(image)).phash);
result.phash.different = {};
for (const seed of [4, 6, 9]) result.phash.different[`scene${seed}`] = hamming(reference, (await info(await scene(1200, 800, seed))).phash);
console.log(JSON.stringify(result));
