// The pixmill playground: builds a native /api/v1 request from the form, sends the
// image, and shows the answer beside the original with the figures from the response
// headers (X-Original-Bytes, X-Output-*, X-Processing-Time-Ms). No framework, no CDN.
'use strict';

const $ = (id) => document.getElementById(id);
const form = $('controls');
const KEY_STORAGE = 'pixmill.apiKey';
const state = { file: null, watermark: null, beforeUrl: null, afterUrl: null, allowed: {} };

// ---- the API key lives in this browser's localStorage only

$('api-key').value = localStorage.getItem(KEY_STORAGE) || '';
$('api-key').addEventListener('input', (e) => {
  if (e.target.value) localStorage.setItem(KEY_STORAGE, e.target.value);
  else localStorage.removeItem(KEY_STORAGE);
});

// ---- which parameters each endpoint takes, from the server's own OpenAPI document

async function loadSpec() {
  try {
    const res = await fetch('/openapi.json');
    const spec = await res.json();
    for (const [path, item] of Object.entries(spec.paths)) {
      const op = item.get || item.post;
      if (!op || !op.parameters) continue;
      state.allowed[path] = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    }
  } catch (err) {
    state.allowed = {};  // send everything; the server names what it refuses
  }
}

async function loadPresets() {
  try {
    const res = await fetch('/v1/presets');
    if (!res.ok) return;
    const groups = await res.json();
    const select = $('preset');
    for (const group of groups) {
      const optgroup = document.createElement('optgroup');
      optgroup.label = group.group;
      for (const p of group.presets) {
        const option = document.createElement('option');
        option.value = p.id;
        option.textContent = `${p.name} (${p.width}×${p.height})`;
        optgroup.appendChild(option);
      }
      select.appendChild(optgroup);
    }
  } catch (err) {
    /* presets are optional */
  }
}

// ---- the request

function endpointPath() {
  const preset = $('preset').value;
  return preset ? `/api/v1/preset/${encodeURIComponent(preset)}` : '/api/v1/process';
}

// Layer modifiers mean nothing without their layer: watermark* only with a watermark
// image (uploaded beside an uploaded image: an image URL request has no parts), text*
// and font only with text.
function layerless(name) {
  if (name.startsWith('watermark')) return !(state.watermark && state.file);
  if (name.startsWith('text') && name !== 'text' || name === 'font') return !$('text').value;
  return false;
}

// The form's non-default values, as the native API names them.
function collectParams() {
  const params = [];
  for (const el of form.elements) {
    if (!el.name || el.name === 'file' || el.name === 'preset' || el.disabled || layerless(el.name)) continue;
    if (el.type === 'checkbox') {
      const def = el.dataset.default === 'on';
      if (el.checked !== def) params.push([el.name, String(el.checked)]);
    } else if (el.type === 'range') {
      if (el.dataset.optional && !el.dataset.touched) continue;
      if (el.value !== el.dataset.default || el.dataset.optional) params.push([el.name, el.value]);
    } else if (el.type === 'color') {
      if (el.value !== el.dataset.default) params.push([el.name, el.value]);
    } else if (el.value !== '') {
      params.push([el.name, el.value]);
    }
  }
  const allowed = state.allowed[endpointPath().startsWith('/api/v1/preset/') ? '/api/v1/preset/{name}' : '/api/v1/process'];
  if (!allowed) return { params, ignored: [] };
  return {
    params: params.filter(([n]) => allowed.has(n)),
    ignored: params.filter(([n]) => !allowed.has(n)).map(([n]) => n),
  };
}

function buildRequest() {
  const { params, ignored } = collectParams();
  const url = $('url').value.trim();
  const query = new URLSearchParams(params);
  const headers = {};
  const key = $('api-key').value;
  if (key) headers['X-API-Key'] = key;
  if (url && !state.file) {
    query.set('url', url);
    return { method: 'GET', path: `${endpointPath()}?${query}`, headers, body: null, ignored };
  }
  const qs = query.toString();
  const path = endpointPath() + (qs ? `?${qs}` : '');
  if (state.watermark && state.file) {
    // Two images: a multipart body (the browser sets its Content-Type and boundary).
    const body = new FormData();
    body.append('file', state.file, state.file.name || 'image');
    body.append('watermark', state.watermark, state.watermark.name || 'watermark');
    return { method: 'POST', path, headers, body, ignored, multipart: true };
  }
  headers['Content-Type'] = (state.file && state.file.type) || 'application/octet-stream';
  return { method: 'POST', path, headers, body: state.file, ignored };
}

function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

function curlCommand() {
  const req = buildRequest();
  const parts = ['curl'];
  if (req.method === 'POST') parts.push('-X POST');
  parts.push(shellQuote(location.origin + req.path));
  for (const [name, value] of Object.entries(req.headers)) parts.push('-H ' + shellQuote(`${name}: ${value}`));
  if (req.multipart) {
    parts.push('-F ' + shellQuote('file=@' + (state.file.name || 'image')));
    parts.push('-F ' + shellQuote('watermark=@' + (state.watermark.name || 'watermark')));
  } else if (req.body) {
    parts.push('--data-binary ' + shellQuote('@' + (state.file.name || 'image')));
  }
  parts.push('-o ' + shellQuote(outputName(guessFormat())));
  return parts.join(' ');
}

// ---- showing results

function formatBytes(n) {
  if (!Number.isFinite(n)) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function guessFormat() {
  const f = $('format').value;
  return f && f !== 'auto' ? f : 'out';
}

function outputName(ext) {
  const base = state.file && state.file.name ? state.file.name.replace(/\.[^.]*$/, '') : 'image';
  return `${base}-pixmill.${ext === 'jpeg' ? 'jpg' : ext}`;
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function setStatus(text) {
  $('status').textContent = text;
}

async function describeFailure(res) {
  let text = `${res.status} ${res.statusText}`;
  try {
    const doc = await res.json();
    const err = doc.error;
    if (typeof err === 'string') text = err;
    else if (err && err.message) text = `${err.code ? err.code + ': ' : ''}${err.message}`;
    if (err && err.field) text += ` (field: ${err.field})`;
  } catch (e) {
    /* not JSON: keep the status line */
  }
  if (res.status === 503 && /MODEL_UNAVAILABLE/.test(text) && !/model/i.test(text.replace('MODEL_UNAVAILABLE', ''))) {
    text += ' (background removal needs a segmentation model on the server)';
  }
  if (res.status === 401) text += ' — check the API key above.';
  return text;
}

function showBefore(src) {
  const before = $('before');
  before.src = src;
  $('compare').hidden = false;
}

// Browsers cannot show every format the server reads (HEIC, TIFF): say so instead of
// showing a broken image; the server may still process the file.
$('before').addEventListener('error', () => {
  if (!$('before').getAttribute('src')) return;
  $('before').removeAttribute('src');
  if (!$('after').getAttribute('src')) $('compare').hidden = true;
  $('preview-note').hidden = false;
});
$('before').addEventListener('load', () => { $('preview-note').hidden = true; });

function setSplit(value) {
  $('after-clip').style.clipPath = `inset(0 0 0 ${value}%)`;
}

async function run(event) {
  if (event) event.preventDefault();
  clearError();
  if (!state.file && !$('url').value.trim()) {
    showError('Choose an image file or enter an image URL first.');
    return;
  }
  const req = buildRequest();
  const button = $('run');
  button.disabled = true;
  setStatus(req.ignored.length ? `Processing… (not used by this endpoint: ${req.ignored.join(', ')})` : 'Processing…');
  const started = performance.now();
  let res;
  try {
    res = await fetch(req.path, { method: req.method, headers: req.headers, body: req.body });
  } catch (err) {
    button.disabled = false;
    setStatus('');
    showError(`The server could not be reached: ${err.message}`);
    return;
  }
  button.disabled = false;
  if (!res.ok) {
    setStatus('');
    showError(await describeFailure(res));
    $('split-label').hidden = true;
    $('stats').hidden = true;
    $('download').hidden = true;
    if (!$('before').getAttribute('src')) $('compare').hidden = true;
    return;
  }
  const blob = await res.blob();
  const h = (name) => res.headers.get(name);
  const bytesIn = Number(h('X-Original-Bytes'));
  const bytesOut = Number(h('X-Output-Bytes') || blob.size);
  const format = h('X-Output-Format') || (blob.type || '').replace('image/', '');
  if (state.afterUrl) URL.revokeObjectURL(state.afterUrl);
  state.afterUrl = URL.createObjectURL(blob);
  $('after').src = state.afterUrl;
  if (!state.file) showBefore($('url').value.trim());
  $('compare').hidden = false;
  $('split-label').hidden = false;
  setSplit($('split').value);

  $('bytes-in').textContent = formatBytes(bytesIn);
  $('bytes-out').textContent = formatBytes(bytesOut);
  const savings = bytesIn > 0 ? (1 - bytesOut / bytesIn) * 100 : NaN;
  $('savings').textContent = Number.isFinite(savings)
    ? (savings >= 0 ? `${savings.toFixed(1)}% smaller` : `${(-savings).toFixed(1)}% larger`)
    : '–';
  const inDims = $('before').naturalWidth ? `${$('before').naturalWidth}×${$('before').naturalHeight} → ` : '';
  $('dims').textContent = `${inDims}${h('X-Output-Width')}×${h('X-Output-Height')}`;
  $('out-format').textContent = format + (h('X-Output-Quality') ? ` q${h('X-Output-Quality')}` : '');
  $('time').textContent = `${h('X-Processing-Time-Ms')} ms server, ${Math.round(performance.now() - started)} ms total`;
  $('stats').hidden = false;

  const download = $('download');
  download.href = state.afterUrl;
  download.download = outputName(format || 'img');
  download.hidden = false;
  setStatus(`Done${req.ignored.length ? ` (not used by this endpoint: ${req.ignored.join(', ')})` : ''}.`);
}

// ---- input

function useFile(file) {
  if (!file) return;
  state.file = file;
  $('url').value = '';
  $('drop-text').textContent = `${file.name} (${formatBytes(file.size)})`;
  if (state.beforeUrl) URL.revokeObjectURL(state.beforeUrl);
  state.beforeUrl = URL.createObjectURL(file);
  showBefore(state.beforeUrl);
  $('after').removeAttribute('src');
  $('stats').hidden = true;
  $('download').hidden = true;
  $('split-label').hidden = true;
  $('curl').hidden = true;
  clearError();
  setStatus('Ready: set the options, then Process.');
}

$('file').addEventListener('change', (e) => useFile(e.target.files[0]));
$('watermark-file').addEventListener('change', (e) => { state.watermark = e.target.files[0] || null; });
const drop = $('drop');
['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('over')));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  if (e.dataTransfer.files.length) useFile(e.dataTransfer.files[0]);
});
$('url').addEventListener('input', () => {
  if ($('url').value.trim()) {
    state.file = null;
    $('file').value = '';
    $('drop-text').textContent = 'Drop an image here, or press to choose one';
  }
});

// Range inputs show their value; an optional one (quality) is sent only once moved.
for (const el of form.querySelectorAll('input[type=range]')) {
  const out = el.parentElement.querySelector('output');
  el.addEventListener('input', () => {
    el.dataset.touched = '1';
    out.textContent = el.value;
  });
}

form.addEventListener('submit', run);
form.addEventListener('reset', () => {
  state.watermark = null;
  setTimeout(() => {
    for (const el of form.querySelectorAll('input[type=range]')) {
      delete el.dataset.touched;
      el.parentElement.querySelector('output').textContent = el.dataset.optional ? 'default' : el.value;
    }
  });
});
$('split').addEventListener('input', (e) => setSplit(e.target.value));
$('copy-curl').addEventListener('click', async () => {
  const text = curlCommand();
  $('curl').textContent = text;
  $('curl').hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    setStatus('curl command copied to the clipboard.');
  } catch (err) {
    setStatus('curl command shown below (the clipboard is not available here).');
  }
});

loadSpec();
loadPresets();
