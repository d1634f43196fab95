// The pixel side of bench/face_eval.py: for each labelled box, the share of its pixels
// that the redacted image painted with the fill colour (black, pixmill's default).
// Usage: node face_coverage.mjs REDACTED_PNG BOXES_JSON   (prints a JSON array of shares)
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const from = process.env.SHARP_PACKAGE_DIR || path.join(here, '..', 'tests', 'reference');
const sharp = createRequire(path.join(from, 'package.json'))('sharp');

const [redacted, boxesJson] = process.argv.slice(2);
const { data, info } = await sharp(redacted).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const shares = JSON.parse(boxesJson).map(([x, y, w, h]) => {
  let painted = 0, total = 0;
  for (let row = Math.max(0, y); row < Math.min(info.height, y + h); ++row) {
    for (let col = Math.max(0, x); col < Math.min(info.width, x + w); ++col) {
      const at = (row * info.width + col) * info.channels;
      ++total;
      if (data[at] === 0 && data[at + 1] === 0 && data[at + 2] === 0) ++painted;
    }
  }
  return total ? painted / total : 0;
});
console.log(JSON.stringify(shares));
