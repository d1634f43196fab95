// Renders each compositing operation with pixmill (the running server) and with sharp,
// and prints one JSON line per case with the SSIM between the two (both flattened onto
// mid-grey, so transparency counts). Run by tests/integration/test_compositing_reference.py:
//   node crosscheck.mjs BASE_URL OUT_DIR
// docs/compositing.md says where pixmill differs on purpose and how each case accounts for it.
import sharp from 'sharp';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { flatRgb, logo, pixmill, scene, ssim } from './common.mjs';

const [base, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

const W = 480;
const H = 320;
const photo = await scene(W, H, 1);
const mark = await logo(160, 60);

// A logo's alpha multiplied by an opacity, as sharp users do it (sharp has no opacity).
async function faded(buffer, opacity) {
  return sharp(buffer).ensureAlpha().linear([1, 1, 1, opacity], [0, 0, 0, 0]).png().toBuffer();
}

function svgMask(shape) {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${shape}</svg>`);
}

const framed = await sharp(photo).extend({ top: 23, bottom: 31, left: 17, right: 40, background: '#ffffff' }).png().toBuffer();
const dull = await sharp(photo).linear(0.4, 70).png().toBuffer();

const cases = [
  {
    name: 'watermark-over-southeast-opacity',
    input: photo,
    fields: [['watermark', mark], ['watermarkGravity', 'southeast'], ['watermarkX', 20], ['watermarkY', 10], ['watermarkOpacity', 0.6]],
    sharp: async () => sharp(photo).composite([{ input: await faded(mark, 0.6), left: W - 160 - 20, top: H - 60 - 10 }]),
  },
  {
    name: 'watermark-multiply-centre-scaled',
    input: photo,
    fields: [['watermark', mark], ['watermarkBlend', 'multiply'], ['watermarkScale', 0.5]],
    sharp: async () => sharp(photo).composite([{ input: await sharp(mark).resize(W * 0.5).png().toBuffer(), gravity: 'centre', blend: 'multiply' }]),
  },
  {
    name: 'watermark-screen-tiled',
    input: photo,
    fields: [['watermark', mark], ['watermarkBlend', 'screen'], ['watermarkTile', 'true']],
    sharp: async () => sharp(photo).composite([{ input: mark, tile: true, gravity: 'northwest', blend: 'screen' }]),
  },
  {
    name: 'watermark-soft-light',
    input: photo,
    fields: [['watermark', mark], ['watermarkBlend', 'soft-light'], ['watermarkGravity', 'northwest']],
    sharp: async () => sharp(photo).composite([{ input: mark, left: 0, top: 0, blend: 'soft-light' }]),
  },
  {
    name: 'text',
    input: photo,
    fields: [['text', 'Hello pixmill, 2025'], ['textSize', 40], ['textColor', '#ffcc00'], ['textGravity', 'northwest'], ['textX', 20], ['textY', 20]],
    sharp: async () => {
      const text = await sharp({
        text: { text: '<span foreground="#ffcc00">Hello pixmill, 2025</span>', font: 'DejaVu Sans 40', dpi: 72, rgba: true, width: W - 40, wrap: 'word-char' },
      }).png().toBuffer();
      return sharp(photo).composite([{ input: text, left: 20, top: 20 }]);
    },
  },
  {
    name: 'extend',
    input: photo,
    fields: [['extend', '10,20,30,40'], ['extendColor', '#336699']],
    sharp: async () => sharp(photo).extend({ top: 10, right: 20, bottom: 30, left: 40, background: '#336699' }),
  },
  {
    name: 'trim',
    input: framed,
    fields: [['trim', 'true']],
    sharp: async () => sharp(framed).trim(),
  },
  {
    name: 'gamma',
    input: photo,
    fields: [['gamma', 2.2]],
    // sharp's gamma(g) darkens before a resize and brightens after it; gamma(1, g) is the
    // plain power that pixmill's gamma is.
    sharp: async () => sharp(photo).gamma(1, 2.2),
  },
  {
    name: 'tint',
    input: photo,
    fields: [['tint', '#3366cc']],
    sharp: async () => sharp(photo).tint('#3366cc'),
  },
  {
    name: 'negate',
    input: photo,
    fields: [['negate', 'true']],
    sharp: async () => sharp(photo).negate({ alpha: false }),
  },
  {
    name: 'normalise',
    input: dull,
    fields: [['normalize', 'true']],
    sharp: async () => sharp(dull).normalise(),
  },
  {
    name: 'mask-radius',
    input: photo,
    fields: [['radius', 40]],
    sharp: async () => sharp(photo).ensureAlpha().composite([{ input: svgMask(`<rect width="${W}" height="${H}" rx="40" ry="40"/>`), blend: 'dest-in' }]),
  },
  {
    name: 'mask-circle',
    input: photo,
    fields: [['mask', 'circle']],
    sharp: async () => sharp(photo).ensureAlpha().composite([{ input: svgMask(`<circle cx="${W / 2}" cy="${H / 2}" r="${H / 2}"/>`), blend: 'dest-in' }]),
  },
  {
    name: 'mask-ellipse',
    input: photo,
    fields: [['mask', 'ellipse']],
    sharp: async () => sharp(photo).ensureAlpha().composite([{ input: svgMask(`<ellipse cx="${W / 2}" cy="${H / 2}" rx="${W / 2}" ry="${H / 2}"/>`), blend: 'dest-in' }]),
  },
];

const results = [];
for (const c of cases) {
  const answer = await pixmill(base, '/api/v1/process?format=png', [['file', c.input], ...c.fields]);
  if (answer.status !== 200) {
    results.push({ name: c.name, error: `pixmill answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}` });
    continue;
  }
  const reference = await (await c.sharp()).png().toBuffer();
  writeFileSync(path.join(outDir, `${c.name}.pixmill.png`), answer.body);
  writeFileSync(path.join(outDir, `${c.name}.sharp.png`), reference);
  const ours = await flatRgb(answer.body);
  const theirs = await flatRgb(reference);
  const sameSize = ours.width === theirs.width && ours.height === theirs.height;
  results.push({
    name: c.name,
    size: [ours.width, ours.height],
    sharpSize: [theirs.width, theirs.height],
    ssim: sameSize ? Number(ssim(ours, theirs).toFixed(4)) : 0,
  });
}
console.log(JSON.stringify(results));
