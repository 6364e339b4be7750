// The storefront's first and second visit on a slow mobile network, as
// Chromium's DevTools emulate one: requests, bytes transferred and the time
// until the page is drawn (`body[data-ready]`), each visit in a fresh
// profile, the second one with what the first left in the cache.
//
//   node --experimental-websocket scripts/slow3g.mjs http://127.0.0.1:8080/ [runs]
//
// Needs Node 20+ (its WebSocket behind --experimental-websocket, built in from
// Node 22) and Chromium (`STOCKROOM_CHROMIUM`, default /usr/bin/chromium).
// The network: 400 ms of latency, 400 kbit/s down and up.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NETWORK = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
/** A visit is over when the page is drawn and nothing was fetched for this long. */
const QUIET_MS = 1500;
const VISIT_MS_MAX = 120_000;

const url = process.argv[2];
const runs = Number(process.argv[3] || 3);
if (!url) {
  console.error('usage: node --experimental-websocket scripts/slow3g.mjs URL [runs]');
  process.exit(2);
}

/** Chromium with a profile of its own; resolves to its DevTools address. */
function launch(profile) {
  const chromium = process.env.STOCKROOM_CHROMIUM || '/usr/bin/chromium';
  const child = spawn(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--remote-debugging-port=0',
    'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let said = '';
    child.stderr.on('data', (chunk) => {
      said += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(said);
      if (found) resolve({ child, address: found[1] });
    });
    child.on('exit', () => reject(new Error(`Chromium stopped:\n${said}`)));
  });
}

/** One DevTools connection: `send` a command, `on` an event, per session. */
async function connect(address) {
  const socket = new WebSocket(address);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let id = 0;
  const waiting = new Map();
  const listeners = [];
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    if (message.id && waiting.has(message.id)) {
      const { resolve, reject } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) reject(new Error(JSON.stringify(message.error)));
      else resolve(message.result);
    } else if (message.method) {
      listeners.forEach((listen) => listen(message));
    }
  };
  return {
    send(method, params = {}, sessionId) {
      id += 1;
      socket.send(JSON.stringify({ id, method, params, sessionId }));
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
    on(listen) { listeners.push(listen); },
    close() { socket.close(); },
  };
}

/** One visit of `url` in the page of `session`: its requests, bytes and times. */
async function visit(cdp, session) {
  const requests = new Map();
  let lastActivity = Date.now();
  let loadedAt = null;
  const started = Date.now();
  cdp.on(({ method, params, sessionId }) => {
    if (sessionId !== session) return;
    lastActivity = Date.now();
    if (method === 'Network.requestWillBeSent') {
      requests.set(params.requestId, { url: params.request.url, bytes: 0, cached: false, status: 0, wireStatus: 0 });
    } else if (method === 'Network.requestServedFromCache') {
      const r = requests.get(params.requestId);
      if (r) r.cached = true;
    } else if (method === 'Network.responseReceived') {
      const r = requests.get(params.requestId);
      if (r) {
        r.status = params.response.status;
        r.cached ||= params.response.fromDiskCache || params.response.fromPrefetchCache;
      }
    } else if (method === 'Network.responseReceivedExtraInfo') {
      // The status on the wire: a revalidation's 304, where the event
      // above gives the cached response's 200.
      const r = requests.get(params.requestId);
      if (r) r.wireStatus = params.statusCode;
    } else if (method === 'Network.loadingFinished') {
      const r = requests.get(params.requestId);
      if (r) r.bytes = params.encodedDataLength;
    } else if (method === 'Page.loadEventFired') {
      loadedAt = Date.now();
    }
  });
  await cdp.send('Page.navigate', { url }, session);
  let drawnAt = null;
  while (Date.now() - started < VISIT_MS_MAX) {
    if (!drawnAt) {
      const { result } = await cdp.send('Runtime.evaluate', {
        expression: "!!(document.body && document.body.dataset.ready === 'home')", returnByValue: true,
      }, session);
      if (result.value) drawnAt = Date.now();
    }
    if (drawnAt && loadedAt && Date.now() - lastActivity > QUIET_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!drawnAt) throw new Error(`${url} was not drawn within ${VISIT_MS_MAX} ms`);
  const all = [...requests.values()].filter((r) => !r.url.startsWith('data:'));
  if (process.env.SLOW3G_VERBOSE) all.forEach((r) => console.error(JSON.stringify(r)));
  const network = all.filter((r) => !r.cached);
  return {
    requests: all.length,
    overNetwork: network.length,
    notModified: network.filter((r) => r.wireStatus === 304).length,
    bytes: all.reduce((sum, r) => sum + r.bytes, 0),
    drawnMs: drawnAt - started,
    loadMs: loadedAt - started,
  };
}

/** A first visit with an empty cache, then a second one, in one fresh browser. */
async function firstAndSecond() {
  const profile = mkdtempSync(join(tmpdir(), 'slow3g-'));
  const { child, address } = await launch(profile);
  try {
    const cdp = await connect(address);
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    for (const domain of ['Network', 'Page', 'Runtime']) await cdp.send(`${domain}.enable`, {}, sessionId);
    await cdp.send('Network.clearBrowserCache', {}, sessionId);
    await cdp.send('Network.emulateNetworkConditions', NETWORK, sessionId);
    const first = await visit(cdp, sessionId);
    await cdp.send('Page.navigate', { url: 'about:blank' }, sessionId);
    // Let the blank page's own events pass before the second visit listens.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await visit(cdp, sessionId);
    cdp.close();
    return { first, second };
  } finally {
    const stopped = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await stopped;
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const results = [];
for (let run = 0; run < runs; run += 1) {
  const result = await firstAndSecond();
  results.push(result);
  console.log(JSON.stringify({ run: run + 1, ...result }));
}
for (const which of ['first', 'second']) {
  const pick = (key) => median(results.map((r) => r[which][key]));
  console.log(`${which} visit (median of ${runs}): ${pick('requests')} requests, ${pick('overNetwork')} over the network `
    + `(${pick('notModified')} answered 304), ${pick('bytes')} bytes, drawn in ${pick('drawnMs')} ms, load event at ${pick('loadMs')} ms`);
}
