// The encoder side of bench/avif_speed_bench.py: for one photo, the reference (EXIF
// orientation applied, at most 1600 px wide, lossless PNG) and one AVIF per setting, each
// timed in this process (CPU of all threads, and wall). sharp and pixmill link the same
// libvips 8.18 build, so a setting costs the same in either; the driver checks pixmill's
// own encode of the setting it chooses.
// Usage: node avif_speed_sharp.mjs INPUT OUTDIR SETTINGS_JSON
//   SETTINGS_JSON: [{"name": "e4-444-q50", "effort": 4, "chroma": "4:4:4", "quality": 50, "tune": "auto"}, ...]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const from = process.env.SHARP_PACKAGE_DIR || path.join(here, '..', 'tests', 'reference');
const sharp = createRequire(path.join(from, 'package.json'))('sharp');
sharp.cache(false);

const [input, outdir, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson);
const reference = await sharp(input).rotate().resize({ width: 1600, withoutEnlargement: true }).png().toBuffer();
fs.writeFileSync(path.join(outdir, 'reference.png'), reference);
// Decoded once, so each timing is the encode alone.
const { data, info } = await sharp(reference).raw().toBuffer({ resolveWithObject: true });
const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
// One small encode first, so that the encoder's set-up is not charged to the first setting.
await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).avif().toBuffer();
const results = [];
for (const s of settings) {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const out = await sharp(data, raw).avif({ quality: s.quality, effort: s.effort, chromaSubsampling: s.chroma, tune: s.tune || 'auto' }).toBuffer();
  const used = process.cpuUsage(cpu);
  const file = path.join(outdir, `${s.name}.avif`);
  fs.writeFileSync(file, out);
  results.push({ name: s.name, file, bytes: out.length, cpu_s: (used.user + used.system) / 1e6, wall_s: (performance.now() - wall) / 1e3 });
}
console.log(JSON.stringify({ width: info.width, height: info.height, results }));
