// The sharp side of bench/quality_auto_bench.py: for one photo, the reference (EXIF
// orientation applied, at most 1600 px wide, lossless PNG) and sharp's q80 JPEG, WebP and
// AVIF of that reference, with sharp's default settings otherwise.
// Usage: node quality_auto_sharp.mjs INPUT OUTDIR [formats, comma-separated]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// sharp as tests/reference pins it (scripts/install-deps.sh test installs it there);
// SHARP_PACKAGE_DIR names another folder whose node_modules has it.
const here = path.dirname(fileURLToPath(import.meta.url));
const from = process.env.SHARP_PACKAGE_DIR || path.join(here, '..', 'tests', 'reference');
const sharp = createRequire(path.join(from, 'package.json'))('sharp');

const [input, outdir, formats = 'jpeg,webp,avif'] = process.argv.slice(2);
const reference = await sharp(input).rotate().resize({ width: 1600, withoutEnlargement: true }).png().toBuffer();
fs.writeFileSync(path.join(outdir, 'reference.png'), reference);
for (const format of formats.split(',')) {
  const out = await sharp(reference)[format]({ quality: 80 }).toBuffer();
  fs.writeFileSync(path.join(outdir, `sharp-q80.${format}`), out);
}
