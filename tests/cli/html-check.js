// SPDX-License-Identifier: MIT
// html-check.js CHROMIUM PAGE.html WORK_DIR - drives headless Chromium over its DevTools pipe
// (--remote-debugging-pipe: file descriptors 3 and 4, messages ended by NUL; no npm module)
// and checks the page balmap wrote: it loads from a file with no request and no console
// error, a claim circle takes the focus and shows its tooltip, pointing at another shows
// that one's, and the claims table sorts. Writes WORK_DIR/page.png and WORK_DIR/tooltip.png
// (screenshots) and prints what it read. Exit 0 when every check passes, 1 otherwise.
// html-check.js CHROMIUM PAGE.html WORK_DIR phone - the page on a phone's screen (390 x 844 CSS
// px): the map shown is the narrow layout (portrait, the legend under the map, not beside it:
// a --size phone map, or a landscape page's narrow copy), as wide as the screen with no
// sideways scrolling, its claim labels at least 11 CSS px (or MIN_PX, a fifth argument), the
// tooltip of a focused circle on the screen; writes WORK_DIR/phone.png and the tooltip's text
// to WORK_DIR/tooltip.txt.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const [chromium, page, work, mode, minLabelArg] = process.argv.slice(2);
// the smallest claim label a phone may show, in CSS px (html-check.js ... phone MIN_PX)
const minLabelPx = minLabelArg ? Number(minLabelArg) : 11;
if (!chromium || !page || !work) {
  console.error('usage: html-check.js CHROMIUM PAGE.html WORK_DIR');
  process.exit(2);
}
const pageUrl = 'file://' + path.resolve(page);

const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', '--user-data-dir=' + path.join(work, 'chromium-profile'),
  '--remote-debugging-pipe', 'about:blank',
], { stdio: ['ignore', 'ignore', fs.openSync(path.join(work, 'chromium.log'), 'w'), 'pipe', 'pipe'] });

const toBrowser = browser.stdio[3], fromBrowser = browser.stdio[4];
let nextId = 1, pending = new Map(), listeners = [], inbox = '';
fromBrowser.on('data', (chunk) => {
  inbox += chunk.toString('utf8');
  let end;
  while ((end = inbox.indexOf('\0')) >= 0) {
    const msg = JSON.parse(inbox.slice(0, end));
    inbox = inbox.slice(end + 1);
    if (msg.id !== undefined && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error)));
      else resolve(msg.result);
    } else if (msg.method) {
      listeners.forEach((f) => f(msg));
    }
  }
});
function send(method, params, sessionId) {
  const id = nextId++;
  const msg = { id, method, params: params || {} };
  if (sessionId) msg.sessionId = sessionId;
  toBrowser.write(JSON.stringify(msg) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function waitFor(method, ms) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out waiting for ' + method)), ms);
    listeners.push(function f(msg) {
      if (msg.method === method) {
        clearTimeout(t);
        listeners = listeners.filter((g) => g !== f);
        resolve(msg.params);
      }
    });
  });
}

const failures = [];
function check(ok, what) {
  console.log((ok ? 'ok: ' : 'FAIL: ') + what);
  if (!ok) failures.push(what);
}

const requests = [], errors = [];
listeners.push((msg) => {
  if (msg.method === 'Network.requestWillBeSent') requests.push(msg.params.request.url);
  if (msg.method === 'Runtime.consoleAPICalled' &&
      (msg.params.type === 'error' || msg.params.type === 'warning'))
    errors.push('console.' + msg.params.type + ': ' +
      msg.params.args.map((a) => a.value || a.description).join(' '));
  if (msg.method === 'Runtime.exceptionThrown')
    errors.push('exception: ' + msg.params.exceptionDetails.text + ' ' +
      ((msg.params.exceptionDetails.exception || {}).description || ''));
  if (msg.method === 'Log.entryAdded' && msg.params.entry.level === 'error')
    errors.push('log: ' + msg.params.entry.text + ' ' + (msg.params.entry.url || ''));
});

// The map the page shows (a page may hold a wide map and its narrow copy, one hidden).
const shownMap = "(function(){return Array.prototype.filter.call(document.querySelectorAll(" +
  "'#page-map svg'),function(s){return s.getClientRects().length>0;})[0];})()";
const shownClaim = (id) => "(function(){return Array.prototype.filter.call(document.querySelectorAll(" +
  "'#page-map .claim[data-claim=\"" + id + "\"]'),function(c){return c.getClientRects().length>0;})[0];})()";
const nShownClaims = "Array.prototype.filter.call(document.querySelectorAll('#page-map svg " +
  ".claim[tabindex]'),function(c){return c.getClientRects().length>0;}).length";

async function phone(s, js) {
  await s('Emulation.setDeviceMetricsOverride',
    { width: 390, height: 844, deviceScaleFactor: 1, mobile: true });
  const loaded = waitFor('Page.loadEventFired', 20000);
  await s('Page.navigate', { url: pageUrl });
  await loaded;
  const m = await js("(function(){var svg=" + shownMap + ";" +
    "var r=function(id){var b=svg.querySelector('#'+id+',#n-'+id).getBoundingClientRect();" +
    "return {top: b.top, bottom: b.bottom, left: b.left, right: b.right};};" +
    // a claim label's rendered size: its font-size (mm of the viewBox) times the map's scale
    "var l=svg.querySelector('text[id$=\"-label\"]');" +
    "var b=svg.getBoundingClientRect();return {w: b.width, h: b.height, claims: r('claims'), " +
    "legend: r('legend'), scroll: document.documentElement.scrollWidth, label: l ? " +
    "{id: l.id, px: parseFloat(l.getAttribute('font-size')) * svg.getScreenCTM().a} : null, " +
    // text the browser sets wider than balmap measured, into the page's 6 mm margins (1 mm
    // allowed)
    "out: Array.prototype.filter.call(svg.querySelectorAll('text'),function(t){" +
    "var r=t.getBoundingClientRect(),k=svg.getScreenCTM().a*5;" +
    "return r.left<b.left+k||r.right>b.right-k;})" +
    ".map(function(t){return t.textContent.slice(0,40);})};})()");
  console.log('phone: map ' + Math.round(m.w) + ' x ' + Math.round(m.h) + ' px; claims ' +
    JSON.stringify(m.claims) + '; legend ' + JSON.stringify(m.legend));
  check(m.w > 300 && m.w <= 390, 'the map is as wide as the phone (' + Math.round(m.w) + ' px)');
  check(m.h > 2 * m.w, 'the map is the portrait layout (' + Math.round(m.h) + ' px tall)');
  check(m.legend.top >= m.claims.bottom, 'the legend is under the map, not beside it');
  check(m.scroll <= 390, 'no sideways scrolling (page ' + m.scroll + ' px wide)');
  check(m.label !== null && m.label.px >= minLabelPx, 'a claim label is legible (' +
    (m.label ? m.label.id + ' at ' + m.label.px.toFixed(2) + ' CSS px' : 'none found') +
    ', at least ' + minLabelPx + ')');
  check(m.out.length === 0, 'no text runs into the margins (' + m.out.join(' | ') + ')');
  const n = await js(nShownClaims);
  check(n === 5, 'the map has 5 focusable claim circles (got ' + n + ')');
  await js(shownClaim('ispr-militants-killed') + ".focus()");
  const tip = await js("(function(){var t=document.getElementById('page-tip');var b=t.getBoundingClientRect();" +
    "return {hidden: t.hidden, left: b.left, right: b.right, top: b.top, bottom: b.bottom, " +
    "text: t.innerText};})()");
  fs.writeFileSync(path.join(work, 'tooltip.txt'), tip.text || '');
  delete tip.text;
  check(!tip.hidden && tip.left >= 0 && tip.right <= 390 && tip.top >= 0 && tip.bottom <= 844,
    'the tooltip shows within the screen (' + JSON.stringify(tip) + ')');
  // A tap pins the tooltip (a touch screen sends mouseleave right after it, which hid it at
  // once); a tap elsewhere takes it away.
  await js("(function(){document.activeElement.blur();" +
    "document.getElementById('page-tip').hidden=true;})()");
  await s('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  const c = await js("(function(){var b=" + shownClaim('ispr-militants-killed') +
    ".getBoundingClientRect();return {x: b.left + b.width / 2, y: b.top + b.height / 2};})()");
  const tap = async (x, y) => {
    await s('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await s('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await new Promise((r) => setTimeout(r, 400));
  };
  await tap(c.x, c.y);
  const tapped = await js("(function(){var t=document.getElementById('page-tip');" +
    "return {hidden: t.hidden, text: t.innerText.slice(0, 40)};})()");
  check(!tapped.hidden && /ISPR/.test(tapped.text),
    'a tap on a circle keeps its tooltip open (' + JSON.stringify(tapped) + ')');
  await tap(5, 5);
  check(await js("document.getElementById('page-tip').hidden"),
    'a tap elsewhere hides the tooltip');
  await s('Emulation.setTouchEmulationEnabled', { enabled: false });
  const shot = await s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: 390, height: Math.min(2400, Math.ceil(m.h) + 200), scale: 1 } });
  fs.writeFileSync(path.join(work, 'phone.png'), Buffer.from(shot.data, 'base64'));
}

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (method, params) => send(method, params, sessionId);
  await s('Page.enable');
  await s('Network.enable');
  await s('Runtime.enable');
  await s('Log.enable');
  const js = async (expr) => {
    const r = await s('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(expr + ': ' + r.exceptionDetails.text);
    return r.result.value;
  };
  if (mode === 'phone') {
    await phone(s, js);
    check(requests.filter((u) => u !== pageUrl).length === 0, 'no request beyond the page itself');
    check(errors.length === 0, 'no console error' + (errors.length ? ': ' + errors.join('; ') : ''));
    return;
  }
  await s('Emulation.setDeviceMetricsOverride',
    { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
  const loaded = waitFor('Page.loadEventFired', 20000);
  await s('Page.navigate', { url: pageUrl });
  await loaded;

  const n = await js(nShownClaims);
  check(n === 5, 'the map has 5 focusable claim circles (got ' + n + ')');
  const nRows = await js("document.querySelectorAll('#page-claims tbody tr').length");
  check(nRows === 12, 'the table lists all 12 claims of the file (got ' + nRows + ')');
  check(await js("document.getElementById('page-tip').hidden"), 'no tooltip before a focus');

  // Tab from the start of the page reaches a claim circle; then focus one by its claim.
  await s('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 });
  await s('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 });
  const tabbed = await js("document.activeElement && document.activeElement.getAttribute('data-claim')");
  check(tabbed !== null, 'Tab focuses a claim circle (' + tabbed + ')');
  const label = await js("document.activeElement.getAttribute('aria-label')");
  check(/^ISPR: 92 militants killed; Quetta/.test(label || ''), 'the focused circle is named (' + label + ')');
  await js(shownClaim('ispr-militants-killed') + ".focus()");
  const tip = await js("(function(){var t=document.getElementById('page-tip');" +
    "return {hidden: t.hidden, text: t.innerText, w: t.offsetWidth, h: t.offsetHeight};})()");
  console.log('tooltip on focus:\n  ' + tip.text.replace(/\n/g, '\n  '));
  check(!tip.hidden && tip.w > 0 && tip.h > 0, 'focusing the circle shows the tooltip');
  for (const want of ['ISPR', '92', 'killed', 'militants', 'Quetta, Mastung, Nushki',
    '2026-01-31', 'The Express Tribune', 'including three suicide attackers'])
    check(tip.text.includes(want), 'the tooltip says "' + want + '"');
  const vis = await s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
  fs.writeFileSync(path.join(work, 'tooltip.png'), Buffer.from(vis.data, 'base64'));

  // Pointing at another circle shows its claim.
  await js("document.activeElement.blur()");
  const box = await js("(function(){var r=" + shownClaim('bla-security-killed') +
    ".getBoundingClientRect();return {x: r.x + r.width / 2, y: r.y + r.height / 2};})()");
  await s('Input.dispatchMouseEvent', { type: 'mouseMoved', x: box.x, y: box.y });
  const hover = await js("(function(){var t=document.getElementById('page-tip');" +
    "return {hidden: t.hidden, text: t.innerText};})()");
  check(!hover.hidden && hover.text.includes('BLA') && hover.text.includes('84'),
    'pointing at the BLA circle shows its claim');
  await s('Input.dispatchMouseEvent', { type: 'mouseMoved', x: 2, y: 2 });
  check(await js("document.getElementById('page-tip').hidden"), 'the tooltip hides when the pointer leaves');

  // Sorting by figure, twice: largest first the second time.
  const figures = "Array.prototype.map.call(document.querySelectorAll('#page-claims tbody tr'), " +
    "function(r){return Number(r.cells[1].getAttribute('data-sort'));})";
  await js("document.querySelectorAll('#page-claims thead button')[1].click()");
  const up = await js(figures);
  await js("document.querySelectorAll('#page-claims thead button')[1].click()");
  const down = await js(figures);
  const sorted = (a, sign) => a.every((v, i) => i === 0 || sign * (v - a[i - 1]) >= 0);
  check(sorted(up, 1) && sorted(down, -1) && down[0] === 133,
    'the table sorts by figure both ways (largest: ' + down[0] + ')');
  const aria = await js("document.querySelectorAll('#page-claims thead th')[1].getAttribute('aria-sort')");
  check(aria === 'descending', 'the sorted column says so (aria-sort ' + aria + ')');

  await s('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
  const full = await s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
    clip: Object.assign({ x: 0, y: 0, scale: 0.75 },
      await js("({width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})")) });
  fs.writeFileSync(path.join(work, 'page.png'), Buffer.from(full.data, 'base64'));

  const other = requests.filter((u) => u !== pageUrl);
  check(other.length === 0, 'no request beyond the page itself' + (other.length ? ': ' + other.join(', ') : ''));
  check(errors.length === 0, 'no console error' + (errors.length ? ': ' + errors.join('; ') : ''));
}

const watchdog = setTimeout(() => {
  console.log('FAIL: timed out after 60 s');
  browser.kill('SIGKILL');
  process.exit(1);
}, 60000);
main().then(() => 0, (e) => {
  console.log('FAIL: ' + e.message);
  return 1;
}).then(async (rc) => {
  clearTimeout(watchdog);
  try {
    await Promise.race([send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
  } catch (e) { /* closing anyway */ }
  browser.kill('SIGKILL');
  if (failures.length) console.log(failures.length + ' check(s) failed');
  process.exit(rc || (failures.length ? 1 : 0));
});
