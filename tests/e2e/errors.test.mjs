// The unhappy paths in a real browser against `lbrec demo`: an invalid username (caught on the
// page, and a request the server refuses), a member with no films, the network going away
// mid-run, a stale profile served while Letterboxd blocks us, and Letterboxd blocking a member
// we have no copy of. The demo runs with PROFILE_FRESH_TTL_S=0 so a second run re-reads the
// profile, and the fake world's admin API blocks Letterboxd on demand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {
  launchBrowser, PHONE, DESKTOP, screenshot, setFault, startDemo, visibleCards, waitForState,
  watchedPage,
} from './harness.mjs';

let demo;
let browser;
let page;

function noProblems(p = page) {
  assert.deepEqual(p.problems, [], 'the page logged no script error, CSP violation or dialog');
}

describe('lbrec web UI, errors', () => {
  before(async () => {
    demo = await startDemo({
      PROFILE_FRESH_TTL_S: '0',
      LETTERBOXD_RETRY_SLEEP_S: '0',
      LETTERBOXD_THROTTLE_SLEEP_S: '0',
    });
    browser = await launchBrowser();
    page = await watchedPage(browser.context, demo.url);
  });

  after(async () => {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  });

  test('an invalid username is caught on the page; a refused request shows the server\'s reason', async () => {
    await page.goto(`${demo.url}/`);
    await page.fill('#username', 'not a name!');
    await page.press('#username', 'Enter');
    await page.waitForSelector('#username-error:not([hidden])');
    assert.match(await page.textContent('#username-error'), /is not a Letterboxd username/);
    assert.equal(await page.getAttribute('#username', 'aria-invalid'), 'true');
    assert.equal(new URL(page.url()).pathname, '/', 'no navigation');
    await screenshot(page, 'error-invalid-username');
    // Fixing it clears the message as you type.
    await page.fill('#username', 'demo');
    await page.waitForSelector('#username-error', {state: 'hidden'});

    // A file that is not a Letterboxd export: the server's 400, shown by the upload form.
    const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lbrec-e2e-bad-')), 'export.zip');
    fs.writeFileSync(bogus, 'this is not a zip file');
    await page.setInputFiles('#export-file', bogus);
    await page.click('#upload-submit');
    await page.waitForSelector('#upload-error:not([hidden])');
    assert.match(await page.textContent('#upload-error'), /Export/i);
    assert.equal(new URL(page.url()).pathname, '/', 'no navigation');

    // The server refuses an unknown country with a 400 naming the field.
    await page.goto(`${demo.url}/demo?country=XX`);
    assert.equal(await waitForState(page, ['done', 'error']), 'error');
    assert.equal(await page.getAttribute('#error', 'data-kind'), 'invalid');
    assert.match(await page.textContent('#error-message'), /country/i);
    noProblems();
  });

  test('a member with no films: not found', async () => {
    await page.goto(`${demo.url}/newcomer?country=US`);
    assert.equal(await waitForState(page, ['done', 'error']), 'error');
    assert.equal(await page.getAttribute('#error', 'data-kind'), 'not_found');
    assert.match(await page.textContent('#error-title'), /No films found for newcomer/);
    assert.match(await page.textContent('#error-message'), /No movies found for this username/);
    await screenshot(page, 'error-not-found');
    noProblems();
  });

  test('the network goes down: a banner, retries with growing gaps, then the run completes', async () => {
    page.expectFailures = true;
    const posts = [];
    const cut = (route) => {
      if (route.request().url().endsWith('/api/recommend')) posts.push(Date.now());
      return route.abort('internetdisconnected');
    };
    await page.route('**/api/**', cut);
    await page.goto(`${demo.url}/legacy_fan?country=FR`);
    await page.waitForSelector('#network-banner:not([hidden])');
    assert.match(await page.textContent('#network-banner'), /Can.t reach the lbrec server.*Trying again in \d+ seconds?/s);
    assert.equal(await page.getAttribute('#results', 'data-state'), 'running');
    await screenshot(page, 'error-network-down');
    while (posts.length < 4) await page.waitForTimeout(200);
    const gaps = posts.slice(1).map((t, i) => t - posts[i]);
    assert.ok(gaps[2] > gaps[0] * 1.5, `retries back off (${gaps.join(', ')} ms)`);
    await page.unroute('**/api/**', cut);
    // Requests aborted before the unroute may still report their failure: keep expecting them
    // until the run is over.
    assert.equal(await waitForState(page, ['done', 'error'], 60000), 'done');
    page.expectFailures = false;
    assert.equal(await page.isHidden('#network-banner'), true, 'the banner goes once it works again');
    assert.ok((await visibleCards(page)).length >= 10);
    noProblems();
  });

  test('SSE cut (as by a buffering proxy): the result still arrives, by polling /api/result', async () => {
    page.expectFailures = true;
    const polls = [];
    const cutStreams = (route) => route.abort('failed');
    await page.route(/\/api\/[a-z-]+-stream/, cutStreams);
    const onRequest = (r) => {
      if (r.url().includes('/api/result')) polls.push(Date.now());
    };
    page.on('request', onRequest);
    await page.goto(`${demo.url}/just73?country=DE`);
    // Requests work, so the banner says the live updates are the problem, not the server.
    await page.waitForFunction(() => !document.getElementById('network-banner').hidden ||
                                     document.getElementById('results').dataset.state !== 'running');
    if (await page.isVisible('#network-banner')) {
      assert.match(await page.textContent('#network-title'), /live connection/);
    }
    assert.equal(await waitForState(page, ['done', 'error'], 60000), 'done');
    page.off('request', onRequest);
    await page.unroute(/\/api\/[a-z-]+-stream/, cutStreams);
    page.expectFailures = false;
    assert.ok(polls.length >= 1, 'the page asked /api/result');
    assert.ok((await visibleCards(page)).length >= 10, 'the final list is shown');
    assert.match(await page.textContent('#status'), /films for just73, streaming in Germany/);
    assert.equal(await page.isHidden('#network-banner'), true);
    noProblems();
  });

  test('an event stream drops mid-run: it reconnects and shows nothing twice', async () => {
    let requestId = null;
    const onRequest = (r) => {
      if (r.url().endsWith('/api/recommend') && r.method() === 'POST') {
        requestId = JSON.parse(r.postData()).request_id;
      }
    };
    page.on('request', onRequest);
    // The first logs stream gets the first half of its events, then the connection ends (no
    // terminator); later connections go through.
    let cuts = 0;
    const cutOnce = async (route) => {
      if (cuts > 0) return route.continue();
      cuts += 1;
      const response = await route.fetch();
      const blocks = (await response.text()).split('\n\n').filter((b) => /^data:/m.test(b));
      const half = blocks.slice(0, Math.floor(blocks.length / 2)).filter((b) => !b.includes('"complete"'));
      await route.fulfill({status: 200, headers: response.headers(), body: `${half.join('\n\n')}\n\n`});
    };
    await page.route(/\/api\/logs-stream/, cutOnce);
    page.expectFailures = true;
    await page.goto(`${demo.url}/exactly72?country=IT`);
    assert.equal(await waitForState(page, ['done', 'error'], 60000), 'done');
    // The last log line may land just after the final list.
    await page.waitForFunction(() => /Done: \d+ recommendations\.$/.test(document.getElementById('log').lastElementChild?.textContent || ''));
    page.expectFailures = false;
    page.off('request', onRequest);
    await page.unroute(/\/api\/logs-stream/, cutOnce);
    assert.equal(cuts, 1);
    // What the page shows is exactly the server's log, once each.
    const shown = await page.$$eval('#log li', (lis) => lis.map((li) => li.textContent));
    const sse = await (await fetch(`${demo.url}/api/logs-stream?request_id=${requestId}`)).text();
    const sent = sse.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)).message);
    assert.ok(sent.length > 4);
    assert.deepEqual(shown, sent);
    noProblems();
  });

  test('Letterboxd blocked, profile seen before: the stale-cache banner', async () => {
    await page.goto(`${demo.url}/grumpy?country=US`);
    assert.equal(await waitForState(page, ['done', 'error']), 'done');
    assert.equal(await page.isHidden('#stale-banner'), true, 'a live read has no banner');
    await setFault(demo.worldUrl, {family: 'letterboxd', fault: 'challenge', rate: 1});
    // The saved list shows first; asking for a fresh one re-reads Letterboxd, which refuses.
    await page.reload();
    await waitForState(page, 'done');
    await page.click('#refresh');
    assert.equal(await waitForState(page, ['done', 'error']), 'done');
    assert.equal(await page.isVisible('#stale-banner'), true);
    assert.match(await page.innerText('#stale-banner'), /saved copy of the profile/);
    assert.match(await page.textContent('#stale-text'), /last successful profile snapshot/);
    assert.ok((await visibleCards(page)).length >= 5, 'the list from the saved profile is shown');
    await screenshot(page, 'stale-cache-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'stale-cache-phone');
    await page.setViewportSize(DESKTOP);
    // Saved with its freshness: a reload still says so.
    await page.reload();
    await waitForState(page, 'done');
    assert.equal(await page.isVisible('#stale-banner'), true);
    noProblems();
  });

  test('Letterboxd blocked, member never seen: blocked, with the time to try again', async () => {
    // Letterboxd still refuses (the fault above stays); the breaker is open.
    await page.goto(`${demo.url}/cinephile?country=US`);
    assert.equal(await waitForState(page, ['done', 'error'], 60000), 'error');
    assert.equal(await page.getAttribute('#error', 'data-kind'), 'blocked');
    const wait = Number(await page.getAttribute('#error', 'data-retry-after'));
    assert.ok(wait > 0, `the retry time came from Retry-After (${wait} s)`);
    assert.match(await page.textContent('#error-message'),
                 /Try again in \d+ (seconds|minutes?) \(after \d\d:\d\d\)\./);
    assert.equal(await page.isVisible('#error-retry'), true);
    await screenshot(page, 'error-blocked');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'error-blocked-phone');
    await page.setViewportSize(DESKTOP);
    noProblems();
  });
});
