// Shared by the e2e suites: `lbrec demo` as a child process on a free loopback port (its fake
// world in-process), Debian's Chromium through playwright-core with a fresh profile, a watch on
// every page for script errors, CSP violations, dialogs and requests leaving the machine, and
// screenshots into tests/e2e/artifacts/.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const ARTIFACTS = path.join(here, 'artifacts');

export const DESKTOP = {width: 1280, height: 900};
export const PHONE = {width: 390, height: 844};

// The flags these machines need: no sandbox (root in a container), no GPU, and nothing that
// reaches out to the internet on its own.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

function lbrecBinary() {
  const bin = process.env.LBREC_BIN || path.join(REPO, 'build', 'release', 'lbrec');
  if (!fs.existsSync(bin)) {
    throw new Error(`lbrec binary not found at ${bin}: build it (scripts/build release) or set LBREC_BIN`);
  }
  return bin;
}

// Starts `lbrec demo` with a hermetic environment (no .env, no Redis, no key, no proxy) plus
// `settings`. Returns {url, worldUrl, stop(), output()}.
export async function startDemo(settings = {}) {
  const bin = lbrecBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbrec-e2e-demo-'));
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH || '/usr/bin:/bin',
      HOME: dir,
      LANG: 'C.UTF-8',
      PORT: String(port),
      HOST: '127.0.0.1',
      LBREC_DATA_DIR: path.join(dir, 'data'),
      RATELIMIT_ENABLED: 'false',
      LETTERBOXD_MIN_INTERVAL_S: '0',
      TMDB_RATE_LIMIT: '400',
      ...settings,
    };
    const child = spawn(bin, ['demo'], {cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let exited = false;
    child.on('exit', () => (exited = true));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30000;
    let healthy = false;
    while (!exited && Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/_health`);
        if (r.status === 200) {
          healthy = true;
          break;
        }
      } catch (e) {
        // not listening yet
      }
      await sleep(100);
    }
    if (!healthy) {
      if (!exited) child.kill('SIGKILL');
      if (attempt < 3 && /bind|in use/i.test(out)) continue;  // lost a race for the port
      throw new Error(`lbrec demo did not start:\n${out}`);
    }
    const m = /event=demo_world url=(\S+)/.exec(out);
    if (!m) throw new Error(`lbrec demo did not log its fake world's URL:\n${out}`);
    return {
      url,
      worldUrl: m[1],
      output: () => out,
      async stop() {
        if (!exited) {
          child.kill('SIGTERM');
          const t0 = Date.now();
          while (!exited && Date.now() - t0 < 8000) await sleep(50);
          if (!exited) child.kill('SIGKILL');
        }
        fs.rmSync(dir, {recursive: true, force: true});
      },
    };
  }
}

// The fake world's admin API: faults per family (letterboxd, tmdb, justwatch).
export async function setFault(worldUrl, spec) {
  const r = await fetch(`${worldUrl}/__faults`, {method: 'POST', body: JSON.stringify(spec)});
  if (!r.ok) throw new Error(`__faults answered ${r.status}: ${await r.text()}`);
}

export async function clearFaults(worldUrl) {
  await fetch(`${worldUrl}/__faults`, {method: 'DELETE'});
}

// Chromium with a fresh --user-data-dir (playwright passes it from the directory given).
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lbrec-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: DESKTOP,
    acceptDownloads: true,
    locale: 'en-GB',
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(20000);
  // TMDB's poster host is out of reach on these machines; fail it at once, as a browser
  // without a network would, so the placeholder path is what the tests see.
  await context.route(/^https:\/\/image\.tmdb\.org\//, (route) => route.abort('internetdisconnected'));
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, {recursive: true, force: true});
    },
  };
}

// A page with a watch on everything that must not happen. `problems` lists what did.
export async function watchedPage(context, origin) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog opened: ${d.type()} ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = (m.location() && m.location().url) || '';
    const text = m.text();
    // Failed poster loads (aborted above) and requests a test fails on purpose are expected.
    if (text.startsWith('Failed to load resource') &&
        (where.startsWith('https://image.tmdb.org/') || page.expectFailures)) return;
    if (/EventSource|ERR_INTERNET_DISCONNECTED|ERR_FAILED/.test(text) && page.expectFailures) return;
    if (text.startsWith('Failed to load resource') && /status of (404|503|400|429)/.test(text)) return;
    problems.push(`console error: ${text} ${where}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith(origin) || u.startsWith('https://image.tmdb.org/') || u.startsWith('blob:') ||
        u.startsWith('data:')) return;
    problems.push(`request to another host: ${u}`);
  });
  page.problems = problems;
  page.expectFailures = false;
  return page;
}

export async function screenshot(page, name, options = {}) {
  fs.mkdirSync(ARTIFACTS, {recursive: true});
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({path: file, fullPage: options.fullPage ?? false, animations: 'disabled'});
  return file;
}

// Records every card the page inserts, with the page's state at that moment, and every text
// the status line shows: installed before any page script runs.
export async function recordCardArrivals(context) {
  await context.addInitScript(() => {
    window.__arrivals = [];
    window.__statuses = [];
    const start = () => {
      const list = document.getElementById('cards');
      const main = document.getElementById('results');
      if (!list || !main) return;
      const status = document.getElementById('status');
      new MutationObserver(() => window.__statuses.push(status.textContent))
          .observe(status, {childList: true, characterData: true, subtree: true});
      new MutationObserver((records) => {
        const t = performance.now();
        for (const rec of records) {
          for (const node of rec.addedNodes) {
            if (node.nodeType === 1 && node.classList.contains('card')) {
              window.__arrivals.push({id: node.dataset.tmdbId, t, state: main.dataset.state});
            }
          }
        }
      }).observe(list, {childList: true});
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  });
}

export async function waitForState(page, states, timeout = 60000) {
  const list = Array.isArray(states) ? states : [states];
  await page.waitForFunction(
      (wanted) => wanted.includes(document.getElementById('results')?.dataset.state), list,
      {timeout});
  return page.evaluate(() => document.getElementById('results').dataset.state);
}

export function visibleCards(page) {
  return page.evaluate(() => [...document.querySelectorAll('#cards > .card')].map((c) => ({
    id: c.dataset.tmdbId,
    title: c.querySelector('.title-link').textContent,
    year: c.querySelector('.year') ? c.querySelector('.year').textContent : '',
    rank: c.querySelector('.rank').textContent,
    genres: [...c.querySelectorAll('.genre')].map((g) => g.textContent),
    rating: (() => {
      const r = c.querySelector('.rating');
      return r ? Number(/([\d.]+)/.exec(r.textContent)[1]) : null;
    })(),
    stream: [...c.querySelectorAll('.offers-stream-badge .badge-name')].map((b) => b.textContent),
  })));
}
