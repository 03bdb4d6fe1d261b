// The happy paths in a real browser against `lbrec demo`: the landing page, a username typed
// in, cards arriving live and then in their final order, filters, "not interested", the CSV
// export, the cached result after a reload, a shared link, an export ZIP upload, a hostile film
// title, phone width, and basic accessibility checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {
  DESKTOP, launchBrowser, PHONE, recordCardArrivals, screenshot, startDemo, visibleCards,
  waitForState, watchedPage,
} from './harness.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>';

let demo;
let browser;
let page;
let lastRequestId = null;

function noProblems(p = page) {
  assert.deepEqual(p.problems, [], 'the page logged no script error, CSP violation or dialog');
}

describe('lbrec web UI, live', () => {
  before(async () => {
    demo = await startDemo();
    browser = await launchBrowser();
    await recordCardArrivals(browser.context);
    page = await watchedPage(browser.context, demo.url);
    page.on('request', (r) => {
      if (r.url().endsWith('/api/recommend') && r.method() === 'POST') {
        try {
          lastRequestId = JSON.parse(r.postData() || '{}').request_id || null;
        } catch (e) {
          lastRequestId = null;  // multipart: the upload test reads it from the URL
        }
      }
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  });

  test('landing page: labelled form, countries with flags, theme remembered', async () => {
    await page.goto(`${demo.url}/`);
    // Every form control has a label a screen reader can read.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
          .filter((e) => {
            if (e.type === 'hidden') return false;
            const name = (e.labels && e.labels.length > 0 ? e.labels[0].textContent : '') ||
                         e.getAttribute('aria-label') || (e.tagName === 'BUTTON' ? e.textContent : '');
            return name.trim() === '';
          })
          .map((e) => e.id || e.outerHTML.slice(0, 60)));
    assert.deepEqual(unlabelled, []);
    const options = await page.$$eval('#country option', (os) => os.map((o) => [o.value, o.textContent]));
    assert.equal(options.length, 20);
    const us = options.find(([v]) => v === 'US');
    assert.equal(us[1], '\u{1F1FA}\u{1F1F8} United States', 'a regional-indicator flag before the name');

    // The theme toggle flips the page and is remembered across a reload.
    assert.equal(await page.getAttribute('#theme-toggle', 'aria-pressed'), 'false');
    await page.click('#theme-toggle');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await page.reload();
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    assert.equal(await page.getAttribute('#theme-toggle', 'aria-pressed'), 'true');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(20, 24, 28)');
    await screenshot(page, 'landing-desktop-dark');
    await page.click('#theme-toggle');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    await screenshot(page, 'landing-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'landing-phone', {fullPage: true});
    await page.setViewportSize(DESKTOP);
    noProblems();
  });

  test('keyboard: type a username, pick a country, Enter; at least 10 cards arrive live', async () => {
    await page.goto(`${demo.url}/`);
    // From the top of the page, Tab reaches the username field with a visible focus ring.
    let focused = '';
    for (let i = 0; i < 6 && focused !== 'username'; ++i) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.id);
    }
    assert.equal(focused, 'username');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
    });
    assert.notEqual(ring.style, 'none', 'focus is visible');
    assert.ok(ring.width >= 2, `focus outline is at least 2px (${ring.width})`);
    await page.keyboard.type('demo');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'country');
    await page.selectOption('#country', 'US');
    await page.focus('#username');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/demo\?country=US$/);

    assert.equal(await waitForState(page, ['done', 'error']), 'done');
    // The status line named the seed films as they were explored.
    const statuses = await page.evaluate(() => window.__statuses);
    const seeds = statuses.filter((t) => /^Exploring films like .+ \(you gave it [\u2605\u00bd]+\)\u2026$/.test(t));
    assert.ok(seeds.length >= 3, `the status named seed films (${seeds.length}): ${statuses.slice(0, 5).join(' | ')}`);
    const arrivals = await page.evaluate(() => window.__arrivals);
    const live = arrivals.filter((a) => a.state === 'running');
    const liveIds = new Set(live.map((a) => a.id));
    assert.ok(liveIds.size >= 10, `at least 10 cards arrived before the job ended (${liveIds.size})`);
    const moments = new Set(live.map((a) => Math.round(a.t)));
    assert.ok(moments.size >= 3, `cards arrived one by one, not in one batch (${moments.size} moments)`);

    // The final order is the server's ranking.
    assert.ok(lastRequestId, 'the page posted a request_id');
    const result = await (await fetch(`${demo.url}/api/result?request_id=${lastRequestId}`)).json();
    const cards = await visibleCards(page);
    assert.equal(cards.length, result.recommendations.length);
    assert.deepEqual(cards.map((c) => c.id), result.recommendations.map((r) => String(r.tmdb_id)));
    assert.deepEqual(cards.map((c) => c.rank), cards.map((_, i) => `${i + 1}.`));
    assert.equal(cards[0].title, result.recommendations[0].title);

    // Each card: title, year, director, genres, runtime, TMDB rating, reason, where to watch.
    const first = page.locator('#cards > .card').first();
    const r0 = result.recommendations[0];
    assert.equal(await first.locator('.year').textContent(), r0.year);
    assert.equal(await first.locator('.director').textContent(), `Directed by ${r0.director}`);
    assert.deepEqual(await first.locator('.genre').allTextContents(), r0.genres);
    assert.match(await first.locator('.runtime').textContent(), /^(\d+ h)?( ?\d+ min)?$/);
    assert.equal(await first.locator('.rating').textContent(), `\u2605 ${r0.rating_tmdb.toFixed(1)} TMDB`);
    assert.equal(await first.locator('.reason').textContent(), r0.reason);
    assert.equal(await first.locator('.where').count(), 1);
    // The rest of the page: preferences, log, attribution, status, stream vs rent/buy badges.
    assert.equal(await page.isVisible('#prefs'), true);
    const prefs = await page.textContent('#prefs-list');
    for (const g of result.preferences.genres) assert.ok(prefs.includes(g), `preferences list ${g}`);
    assert.ok((await page.$$('#log li')).length > 5, 'the live log filled');
    assert.match(await page.textContent('#status'), /^\d+ films for demo, streaming in United States\./);
    assert.match(await page.textContent('#attribution'), /JustWatch/);
    assert.ok(await page.$('.offers-stream-badge'), 'some film streams');
    assert.ok(await page.$('.offers-paid-badge'), 'some film is to rent or buy');
    assert.match(await page.textContent('.offers-stream .offers-label'), /Stream/);
    // Posters cannot load here: each card keeps its drawn placeholder with the title.
    // (Posters load lazily: the first cards are on screen.)
    await page.waitForFunction(() => [...document.querySelectorAll('#cards > .card')].slice(0, 2)
                                         .every((c) => c.querySelector('.poster-missing .poster-fallback-title')));
    assert.equal(await page.locator('.poster-fallback-title').count(), cards.length);
    await screenshot(page, 'results-desktop');
    await screenshot(page, 'results-desktop-full', {fullPage: true});
    // As a phone opens it (the saved list: no new job).
    await page.setViewportSize(PHONE);
    await page.reload();
    await waitForState(page, 'done');
    await screenshot(page, 'results-phone');
    await screenshot(page, 'results-phone-full', {fullPage: true});
    // Phone width: one column and nothing wider than the screen.
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      lefts: [...new Set([...document.querySelectorAll('#cards > .card')].map((c) => Math.round(c.getBoundingClientRect().left)))],
    }));
    assert.ok(layout.scroll <= PHONE.width, `no horizontal scroll at phone width (${layout.scroll})`);
    assert.equal(layout.lefts.length, 1, 'one column of cards on a phone');
    await page.setViewportSize(DESKTOP);
    noProblems();
  });

  test('filters and sorts narrow the list and ride in the URL', async () => {
    const all = await visibleCards(page);
    // The most common genre that not every film has.
    const counts = new Map();
    for (const c of all) for (const g of c.genres) counts.set(g, (counts.get(g) || 0) + 1);
    const [genre] = [...counts].filter(([, n]) => n < all.length).sort((a, b) => b[1] - a[1])[0];
    await page.selectOption('#f-genre', genre);
    let shown = await visibleCards(page);
    assert.ok(shown.length > 0 && shown.length < all.length);
    assert.ok(shown.every((c) => c.genres.includes(genre)), `every card shown is ${genre}`);
    assert.equal(new URL(page.url()).searchParams.get('genre'), genre);
    assert.match(await page.textContent('#shown-count'), new RegExp(`Showing ${shown.length} of ${all.length}`));

    await page.fill('#f-rmin', '8');
    shown = await visibleCards(page);
    assert.ok(shown.every((c) => c.rating >= 8 && c.genres.includes(genre)));
    assert.equal(new URL(page.url()).searchParams.get('rmin'), '8');
    await page.fill('#f-rmin', '');

    await page.selectOption('#f-sort', 'rating');
    shown = await visibleCards(page);
    for (let i = 1; i < shown.length; ++i) assert.ok(shown[i - 1].rating >= shown[i].rating, 'sorted by rating');
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'rating');

    // Only on my services: choose one in the dialog; the choice is remembered.
    await page.click('#f-reset');
    const withStream = (await visibleCards(page)).filter((c) => c.stream.length > 0);
    const service = withStream[0].stream[0];
    await page.click('#services-button');
    await page.getByRole('dialog').getByLabel(service, {exact: true}).check();
    await page.click('#services-save');
    await page.check('#f-mine');
    shown = await visibleCards(page);
    assert.ok(shown.length > 0 && shown.every((c) => c.stream.includes(service)), `all on ${service}`);
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('mine'), '1');
    assert.deepEqual(params.getAll('svc'), [service]);
    assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('lbrec:services'))), [service]);
    await page.click('#f-reset');
    assert.equal((await visibleCards(page)).length, all.length);
    noProblems();
  });

  test('"not interested" hides a film, survives a reload, and can be undone', async () => {
    const before = await visibleCards(page);
    const victim = before[1];
    await page.click(`.card[data-tmdb-id="${victim.id}"] .hide-button`);
    let shown = await visibleCards(page);
    assert.equal(shown.length, before.length - 1);
    assert.ok(!shown.some((c) => c.id === victim.id));
    assert.match(await page.textContent('#list-note'), /hidden/);
    // Keyboard focus stays in the list (on the next card), not lost to the top of the page.
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('hide-button')), true);
    await page.reload();
    await waitForState(page, 'done');
    shown = await visibleCards(page);
    assert.ok(!shown.some((c) => c.id === victim.id), 'still hidden after a reload');
    await page.click('#show-hidden');
    assert.equal(await page.textContent(`.card[data-tmdb-id="${victim.id}"] .hide-button`), 'Show again');
    await page.click(`.card[data-tmdb-id="${victim.id}"] .hide-button`);
    assert.equal(await page.isHidden('#show-hidden'), true, 'nothing hidden any more');
    shown = await visibleCards(page);
    assert.ok(shown.some((c) => c.id === victim.id), 'back after "Show again"');
    noProblems();
  });

  test('CSV export of the visible list, in Letterboxd import format', async () => {
    await page.selectOption('#f-decade', {index: 1});
    const shown = await visibleCards(page);
    assert.ok(shown.length > 0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    assert.match(download.suggestedFilename(), /^lbrec-demo-US\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'tmdbID,Title,Year,Directors');
    assert.equal(lines.length - 1, shown.length, 'one row per visible card');
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.deepEqual(rows.map((r) => r[0]), shown.map((c) => c.id));
    for (let i = 0; i < shown.length; ++i) {
      if (!/[",]/.test(shown[i].title)) assert.equal(rows[i][1], shown[i].title);
      assert.equal(rows[i][2], shown[i].year);
    }
    fs.copyFileSync(await download.path(), path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts', 'export-demo-US.csv'));
    await page.click('#f-reset');
    noProblems();
  });

  test('a reload shows the cached result at once, without a new job', async () => {
    const before = await visibleCards(page);
    const calls = [];
    const onRequest = (r) => {
      if (r.url().includes('/api/')) calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
    };
    page.on('request', onRequest);
    await page.reload();
    await waitForState(page, 'done', 5000);
    page.off('request', onRequest);
    assert.deepEqual(calls, [], 'no API call: the list came from LocalStorage');
    assert.equal(await page.isVisible('#saved-note'), true);
    assert.match(await page.textContent('#saved-text'), /Saved on this device/);
    assert.deepEqual((await visibleCards(page)).map((c) => c.id), before.map((c) => c.id));
    // The landing page lists it for a return visit.
    await page.goto(`${demo.url}/`);
    assert.match(await page.textContent('#recent-list'), /demo/);
    noProblems();
  });

  test('a shared link carries its filters to a fresh visitor', async () => {
    await page.goto(`${demo.url}/demo?country=US`);
    await waitForState(page, 'done');
    await page.selectOption('#f-sort', 'newest');
    await page.fill('#f-rtmax', '110');
    await page.click('#copy-link');
    await page.waitForFunction(() => /rtmax=110/.test(document.getElementById('list-note').dataset.url || ''));
    assert.match(await page.textContent('#list-note'), /Link copied|Copy this link/);
    const shared = await page.getAttribute('#list-note', 'data-url');
    assert.ok(shared.includes('sort=newest') && shared.includes('rtmax=110'), shared);
    const expected = (await visibleCards(page)).map((c) => c.id);
    // A visitor with nothing saved: a new job runs, the same filters apply to its list.
    const other = await watchedPage(browser.context, demo.url);
    await other.goto(`${demo.url}/`);
    await other.evaluate(() => localStorage.clear());
    await other.goto(shared);
    assert.equal(await waitForState(other, ['done', 'error']), 'done');
    assert.equal(await other.inputValue('#f-sort'), 'newest');
    assert.equal(await other.inputValue('#f-rtmax'), '110');
    const got = await visibleCards(other);
    assert.deepEqual(got.map((c) => c.id), expected);
    assert.ok(got.length > 0);
    noProblems(other);
    await other.close();
    await page.click('#f-reset');
  });

  test('an export ZIP uploaded on the landing page', async () => {
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lbrec-e2e-zip-')), 'letterboxd-cinephile.zip');
    const r = await fetch(`${demo.worldUrl}/__export/cinephile.zip`);
    assert.equal(r.status, 200);
    fs.writeFileSync(zip, Buffer.from(await r.arrayBuffer()));
    await page.goto(`${demo.url}/`);
    await page.selectOption('#country', 'GB');
    await page.setInputFiles('#export-file', zip);
    await page.click('#upload-submit');
    await page.waitForURL(/\/cinephile\?country=GB(&|$)/);
    assert.equal(await waitForState(page, ['done', 'error']), 'done');
    assert.ok((await visibleCards(page)).length >= 10);
    assert.ok(!new URL(page.url()).searchParams.has('rid'), 'the one-shot job id leaves the URL');
    assert.match(await page.textContent('#log'), /Read \d+ films from the export/);
    noProblems();
  });

  test('a hostile film title is shown as text and runs nothing', async () => {
    // hiro8535 loved two films TMDB lists next to it; it rates 6.0, hence minr=0.
    await page.goto(`${demo.url}/hiro8535?country=US&count=200&minr=0`);
    assert.equal(await waitForState(page, ['done', 'error']), 'done');
    await page.selectOption('#f-sort', 'title');
    const card = page.locator('.card', {has: page.locator('.title-link', {hasText: HOSTILE})});
    assert.equal(await card.count(), 1, 'the film is in the list');
    assert.equal(await card.locator('.title-link').textContent(), HOSTILE);
    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], [onerror]').length);
    assert.equal(injected, 0, 'no element was made from the title');
    await screenshot(page, 'hostile-title');
    // mei9306 rated it 4 stars: it is a seed, named in the log and in reasons.
    await page.goto(`${demo.url}/mei9306?country=US&count=40`);
    assert.equal(await waitForState(page, ['done', 'error']), 'done');
    assert.ok((await page.textContent('#log')).includes(`Exploring ${HOSTILE}`));
    const reasons = await page.$$eval('.reason', (rs) => rs.map((r) => r.textContent));
    assert.ok(reasons.some((r) => r.includes(HOSTILE)), 'a reason names it literally');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], [onerror]').length), 0);
    noProblems();
  });

  test('reconnection backoff doubles and is capped', async () => {
    const delays = await page.evaluate(async () => {
      const {backoffDelay} = await import('/static/util.js');
      return Array.from({length: 12}, (_, i) => backoffDelay(i + 1));
    });
    assert.ok(delays[0] >= 400 && delays[0] <= 600, `first retry after about 0.5 s (${delays[0]})`);
    assert.ok(delays[3] >= 3 * delays[0], 'grows exponentially');
    assert.ok(delays.every((d) => d <= 15000 * 1.15), `capped at 15 s (${delays.join(', ')})`);
    assert.ok(delays[11] >= 15000 * 0.85, 'reaches the cap');
  });

  test('colour contrast of text in both themes', async () => {
    await page.goto(`${demo.url}/demo?country=US`);
    await waitForState(page, 'done');
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const failures = await page.evaluate(() => {
        const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
          const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const background = (el) => {
          for (let n = el; n; n = n.parentElement) {
            const c = parse(getComputedStyle(n).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const out = [];
        const selectors = ['body', 'h1', '.status', '.who', '.card-title .title-link', '.year',
                           '.facts', '.rating', '.genre', '.reason', '.offers-label',
                           '.offers-stream-badge', '.offers-paid-badge', '.hide-button',
                           '.poster-fallback', '.prefs-list dt', '.log', '.attribution',
                           '.footer', 'label', '.secondary', '.link-button', '.shown-count',
                           '.back', '.theme-toggle'];
        for (const sel of selectors) {
          const el = document.querySelector(sel);
          if (!el) {
            out.push(`${sel}: not found`);
            continue;
          }
          const fg = lum(parse(getComputedStyle(el).color));
          const bg = lum(background(el));
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          if (ratio < 4.5) out.push(`${sel}: ${ratio.toFixed(2)}`);
        }
        return out;
      });
      assert.deepEqual(failures, [], `${theme} theme: every checked text has a contrast of 4.5:1 or more`);
    }
    await screenshot(page, 'results-desktop-dark');
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    noProblems();
  });
});
