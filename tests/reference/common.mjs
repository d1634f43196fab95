// Shared by the reference checks: synthetic inputs made with sharp, requests to the
// running pixmill server, raw pixels, SSIM and mean absolute error.
import sharp from 'sharp';

// A smooth, photo-like scene (gradients, discs, a hard edge) rendered by sharp's SVG
// loader: structure for SSIM to see, no noise for the codecs to disagree about.
export async function scene(width, height, seed = 0) {
  const hue = (n) => (seed * 67 + n * 97) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>
      <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
        <stop offset="0" stop-color="hsl(${hue(0)},70%,45%)"/><stop offset="1" stop-color="hsl(${hue(1)},60%,75%)"/>
      </linearGradient>
      <radialGradient id="r"><stop offset="0" stop-color="hsl(${hue(2)},80%,60%)"/><stop offset="1" stop-color="hsl(${hue(3)},50%,25%)"/></radialGradient>
    </defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * (0.3 + 0.1 * (seed % 3))}" cy="${height * 0.45}" r="${Math.min(width, height) * 0.28}" fill="url(#r)"/>
    <rect x="${width * 0.6}" y="${height * 0.15}" width="${width * 0.3}" height="${height * 0.5}" fill="hsl(${hue(4)},65%,35%)" transform="rotate(${8 + seed * 5} ${width * 0.75} ${height * 0.4})"/>
    <path d="M0 ${height * 0.85} Q ${width * 0.5} ${height * 0.6} ${width} ${height * 0.9} L ${width} ${height} L 0 ${height} Z" fill="hsl(${hue(5)},40%,20%)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

// A logo with transparency: a ring and a bar.
export async function logo(width, height) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <circle cx="${height / 2}" cy="${height / 2}" r="${height * 0.4}" fill="none" stroke="#ffffff" stroke-width="${height * 0.12}"/>
    <rect x="${height}" y="${height * 0.3}" width="${width - height * 1.1}" height="${height * 0.4}" rx="${height * 0.1}" fill="#e0202a"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// POSTs multipart form data to pixmill; answers { status, body (Buffer), json? }.
export async function pixmill(base, path, fields) {
  const form = new FormData();
  for (const [name, value] of fields) {
    if (Buffer.isBuffer(value)) form.append(name, new Blob([value]), `${name}.png`);
    else form.append(name, String(value));
  }
  const res = await fetch(base + path, { method: 'POST', body: form });
  const body = Buffer.from(await res.arrayBuffer());
  const out = { status: res.status, body };
  if ((res.headers.get('content-type') || '').includes('json')) out.json = JSON.parse(body.toString('utf8'));
  return out;
}

// RGBA pixels flattened onto mid-grey, so that transparency differences show as colour.
export async function flatRgb(buffer, width, height) {
  let img = sharp(buffer).flatten({ background: '#808080' });
  if (width) img = img.resize(width, height, { fit: 'fill' });
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

// The picture as a placeholder can hold it: shrunk to `detail` pixels on its long side
// (the placeholder's frequency resolution) and smoothly enlarged back to width x height.
export async function lowPass(buffer, detail, width, height) {
  const small = await sharp(buffer).ensureAlpha()
    .resize(detail, detail, { fit: 'inside', kernel: 'linear' }).png().toBuffer();
  return rgba(await sharp(small).resize(width, height, { fit: 'fill', kernel: 'cubic' }).png().toBuffer());
}

export async function rgba(buffer, width, height) {
  let img = sharp(buffer).ensureAlpha();
  if (width) img = img.resize(width, height, { fit: 'fill' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

// Mean structural similarity (Wang et al. 2004): 11x11 Gaussian window, sigma 1.5,
// K1 0.01, K2 0.03, per channel, averaged over channels. `a` and `b` are raw images of
// the same size and channel count.
export function ssim(a, b) {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) return 0;
  const { width: w, height: h, channels: n } = a;
  const radius = 5;
  const kernel = [];
  let total = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * 1.5 * 1.5));
    kernel.push(v);
    total += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  const blur = (src) => {
    const tmp = new Float64Array(w * h);
    const out = new Float64Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) s += kernel[k + radius] * src[y * w + Math.min(w - 1, Math.max(0, x + k))];
        tmp[y * w + x] = s;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) s += kernel[k + radius] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
        out[y * w + x] = s;
      }
    }
    return out;
  };
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const x = new Float64Array(w * h);
    const y = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) {
      x[i] = a.data[i * n + c];
      y[i] = b.data[i * n + c];
    }
    const xx = x.map((v) => v * v);
    const yy = y.map((v) => v * v);
    const xy = x.map((v, i) => v * y[i]);
    const [mx, my, sxx, syy, sxy] = [blur(x), blur(y), blur(xx), blur(yy), blur(xy)];
    let channel = 0;
    for (let i = 0; i < w * h; i++) {
      const vx = sxx[i] - mx[i] * mx[i];
      const vy = syy[i] - my[i] * my[i];
      const cov = sxy[i] - mx[i] * my[i];
      channel += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
    }
    sum += channel / (w * h);
  }
  return sum / n;
}

// Mean absolute difference per channel value (0..255) over the first `channels` channels.
export function mae(a, aChannels, b, bChannels, pixels, channels = 3) {
  let sum = 0;
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < channels; c++) sum += Math.abs(a[i * aChannels + c] - b[i * bChannels + c]);
  }
  return sum / (pixels * channels);
}
