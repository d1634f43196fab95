// End-to-end test of the playground in Debian's chromium, driven by playwright-core
// (no browser download). Run by tests/integration/test_browser.py, which starts the
// server and checks the downloaded file:
//   node playground.mjs BASE_URL IMAGE_PATH WIDTH FORMAT OUT_DIR
// Prints one JSON line with what it saw; exits non-zero on the first failed check.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [base, imagePath, width, format, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const seen = { consoleErrors: [] };

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  // Chromium logs every non-2xx fetch as a console error; the one 415 the error step
  // provokes on purpose is expected, anything else is a failure.
  let expecting415 = false;
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expecting415 && /Failed to load resource: .*status of 415/.test(msg.text())) return;
    seen.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => seen.consoleErrors.push(String(err)));

  await page.goto(base + '/');
  await page.waitForSelector('#preset optgroup', { state: 'attached', timeout: 15000 });

  // Upload, set width and format, process.
  await page.setInputFiles('#file', imagePath);
  await page.fill('input[name=width]', width);
  await page.selectOption('#format', format);
  await page.click('#run');
  await page.waitForSelector('#stats:not([hidden])', { timeout: 120000 });
  await page.waitForFunction(() => document.getElementById('after').complete && document.getElementById('after').naturalWidth > 0);
  seen.savings = (await page.textContent('#savings')).trim();
  seen.dims = (await page.textContent('#dims')).trim();
  seen.bytesIn = (await page.textContent('#bytes-in')).trim();
  seen.bytesOut = (await page.textContent('#bytes-out')).trim();
  seen.format = (await page.textContent('#out-format')).trim();
  seen.time = (await page.textContent('#time')).trim();
  check(/^\d+(\.\d)?% (smaller|larger)$/.test(seen.savings), `savings figure: ${seen.savings}`);
  check(seen.dims.endsWith(`${width}×`) || seen.dims.includes(`→ ${width}×`) || seen.dims.startsWith(`${width}×`), `dimensions: ${seen.dims}`);
  check(seen.format.startsWith(format), `format shown: ${seen.format}`);
  check(/\d+ ms server/.test(seen.time), `time: ${seen.time}`);
  await page.fill('#split', '30');
  await page.dispatchEvent('#split', 'input');
  await page.screenshot({ path: path.join(outDir, 'result.png'), fullPage: true });

  // Download the result.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  seen.downloadName = download.suggestedFilename();
  seen.download = path.join(outDir, 'download.' + format);
  await download.saveAs(seen.download);

  // Copy as curl reproduces the request.
  await page.click('#copy-curl');
  seen.curl = (await page.textContent('#curl')).trim();
  check(seen.curl.includes(`/api/v1/process?width=${width}&format=${format}`), `curl: ${seen.curl}`);
  check(seen.curl.includes('--data-binary'), `curl: ${seen.curl}`);

  // The API key is kept in localStorage and sent as X-API-Key.
  await page.fill('#api-key', 'pk_test_browser');
  await page.click('#copy-curl');
  check((await page.textContent('#curl')).includes("X-API-Key: pk_test_browser"), 'curl carries the API key');
  check((await page.evaluate(() => localStorage.getItem('pixmill.apiKey'))) === 'pk_test_browser', 'key kept in localStorage');
  await page.fill('#api-key', '');

  // A text layer and an uploaded watermark: the request becomes multipart with both
  // images, and the answer is shown. The watermark is a solid red square, so the result
  // must have red where the original photo's corner was.
  const redSquare = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mP4z8BAEmIY1TCqYfhqAACQ+f8B8u7oVwAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('#watermark-file', { name: 'logo.png', mimeType: 'image/png', buffer: redSquare });
  await page.selectOption('select[name=watermarkGravity]', 'northwest');
  await page.fill('#text', 'pixmill ✓ 你好');
  await page.fill('input[name=textSize]', '24');
  await page.selectOption('select[name=textGravity]', 'south');
  const [layered] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/process') && r.request().method() === 'POST'),
    page.click('#run'),
  ]);
  check(layered.status() === 200, `text + watermark answered ${layered.status()}`);
  check(/^multipart\/form-data; boundary=/.test(layered.request().headers()['content-type'] || ''), 'sent as multipart');
  check(layered.url().includes('text=') && layered.url().includes('watermarkGravity=northwest'), `layer params: ${layered.url()}`);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Done'));
  seen.layeredCorner = await page.evaluate(async () => {
    const img = document.getElementById('after');
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(4, 4, 1, 1).data);
  });
  check(seen.layeredCorner[0] > 200 && seen.layeredCorner[1] < 60 && seen.layeredCorner[2] < 60, `watermark corner: ${seen.layeredCorner}`);
  await page.click('#copy-curl');
  seen.layeredCurl = (await page.textContent('#curl')).trim();
  check(seen.layeredCurl.includes("-F 'watermark=@logo.png'"), `curl: ${seen.layeredCurl}`);
  await page.screenshot({ path: path.join(outDir, 'layers.png'), fullPage: true });
  await page.setInputFiles('#watermark-file', []);
  await page.dispatchEvent('#watermark-file', 'change');
  await page.fill('#text', '');

  // A non-image gives a readable error, not a broken image.
  expecting415 = true;
  await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are notes, not an image\n'.repeat(20)) });
  await page.click('#run');
  await page.waitForSelector('#error:not([hidden])', { timeout: 60000 });
  seen.error = (await page.textContent('#error')).trim();
  check(/UNSUPPORTED_FORMAT: .{10,}/.test(seen.error), `error message: ${seen.error}`);
  await page.screenshot({ path: path.join(outDir, 'error.png'), fullPage: true });
  expecting415 = false;

  // Keyboard: Tab reaches the file picker and the Process button.
  await page.goto(base + '/');
  const reached = new Set();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.name || '')));
  }
  check(reached.has('file') && reached.has('run') && reached.has('width'), `Tab order reached: ${[...reached].join(',')}`);

  // Phone width: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/');
  await page.waitForSelector('#preset optgroup', { state: 'attached' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `page is ${overflow}px wider than a phone screen`);
  await page.screenshot({ path: path.join(outDir, 'phone.png'), fullPage: false });

  // The API reference renders the service's own document.
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(base + '/docs');
  await page.waitForSelector('.information-container .title', { timeout: 30000 });
  seen.docsTitle = (await page.textContent('.information-container .title')).trim();
  check(seen.docsTitle.startsWith('pixmill'), `docs title: ${seen.docsTitle}`);
  await page.waitForSelector('.opblock', { timeout: 30000 });
  seen.docsOperations = await page.locator('.opblock').count();
  await page.screenshot({ path: path.join(outDir, 'docs.png') });

  check(seen.consoleErrors.length === 0, `console errors: ${seen.consoleErrors.join(' | ')}`);
  seen.ok = true;
} finally {
  await browser.close();
  writeFileSync(path.join(outDir, 'seen.json'), JSON.stringify(seen, null, 2));
}
console.log(JSON.stringify(seen));
