// Visual regression (issue 24): the ten main pages of a seeded community (fixture.mjs), full
// page, on a phone (390 × 844) and a desktop (1280 × 800), compared with the reference PNGs in
// screenshots/ with pixelmatch. Rendering is pinned down: en-GB, Europe/Amsterdam, reduced
// motion, no animations, fonts loaded; times and dates, which move with the clock, are replaced
// by fixed text and masked.
//
// The references belong to one Chromium build (screenshots/chromium-version.txt): another build
// fails here with the instruction to re-baseline instead of with a pixel mismatch.
// Re-baseline deliberately, after a design change or a Chromium update, and review the images:
//
//   cd tests/e2e && KRING_SCREENSHOTS_UPDATE=1 npm test -- screenshots.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { startKring, launchBrowser, newPage } from './support.mjs';
import { seedCommunity, sessionCookie } from './fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// KRING_SCREENSHOTS_DIR: another folder of references (to try a change without touching these).
const baselineDir = process.env.KRING_SCREENSHOTS_DIR ?? join(here, 'screenshots');
const versionFile = join(baselineDir, 'chromium-version.txt');
const update = process.env.KRING_SCREENSHOTS_UPDATE === '1';
const rebaseline = 'KRING_SCREENSHOTS_UPDATE=1 npm test -- screenshots.test.mjs (in tests/e2e)';

/** pixelmatch's per-pixel colour threshold (0–1), and the share of pixels that may differ. */
const THRESHOLD = 0.1;
const MAX_DIFF_SHARE = 0.005;

const devices = [
  ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
  ['desktop', { viewport: { width: 1280, height: 800 } }],
];

let kring;
let browser;
let community;
let cookie;
let failDir;

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  community = await seedCommunity(kring.url);
  cookie = await sessionCookie(kring.url, community.viewer);
});

after(async () => {
  await browser?.close();
  await kring?.stop();
});

/** Where a failing comparison's images go (one folder per run, made when first needed). */
function failureDir() {
  failDir ??= mkdtempSync(join(tmpdir(), 'kring-screenshots-'));
  return failDir;
}

/**
 * Replaces what moves with the clock by fixed text of the same kind, so the layout is the same
 * every day: relative times ("2 minutes ago"), ISO dates and weeks, "December 2026" and
 * "6 Dec 2026, 01:56". Returns nothing; the <time> elements are also masked in the screenshot.
 */
function normaliseClock() {
  const months = 'January|February|March|April|May|June|July|August|September|October|November|December';
  const short = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
  const rules = [
    [/\b\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?/g, '2000-01-03'],
    [/\b\d{4}-W\d{2}\b/g, '2000-W01'],
    [
      new RegExp(`\\b\\d{1,2} (${short})[a-z]* \\d{4}(, \\d{1,2}:\\d{2})?`, 'g'),
      (_, _month, time) => (time ? '3 Jan 2000, 12:00' : '3 Jan 2000'),
    ],
    [new RegExp(`\\b(${months}) \\d{4}\\b`, 'g'), 'January 2000'],
    [/\b\d{4}-\d{2}\b/g, '2000-01'],
  ];
  for (const el of document.querySelectorAll('time')) el.textContent = '1 hour ago';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.nodeValue;
    for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
    if (text !== node.nodeValue) node.nodeValue = text;
  }
}

/** A full-page PNG of `path` as the viewer sees it, ready to compare. */
async function capture(page, path) {
  const response = await page.goto(kring.url + path, { waitUntil: 'networkidle' });
  assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(normaliseClock);
  // Images (avatars, covers) decoded, then one frame for layout after the text changes.
  await page.evaluate(() => Promise.all([...document.images].map((img) => img.decode().catch(() => {}))));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.screenshot({
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    mask: [page.locator('time')],
    maskColor: '#ff00ff',
  });
}

/** Compares `actual` (PNG bytes) with the reference `name`.png; throws a readable failure. */
function compare(t, name, actual) {
  const file = join(baselineDir, `${name}.png`);
  if (update) {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    const out = join(failureDir(), `${name}.actual.png`);
    writeFileSync(out, actual);
    assert.fail(`no reference image ${file} (this run's image: ${out}).\nMake the references deliberately with ${rebaseline}`);
  }
  const expected = PNG.sync.read(readFileSync(file));
  const got = PNG.sync.read(actual);
  const keep = () => {
    const dir = failureDir();
    writeFileSync(join(dir, `${name}.actual.png`), actual);
    writeFileSync(join(dir, `${name}.expected.png`), readFileSync(file));
    return dir;
  };
  if (expected.width !== got.width || expected.height !== got.height) {
    const dir = keep();
    assert.fail(
      `${name}: the page is ${got.width} × ${got.height}, the reference ${expected.width} × ${expected.height}; ` +
        `images in ${dir}. If the change is intended, re-baseline with ${rebaseline}`,
    );
  }
  const diff = new PNG({ width: got.width, height: got.height });
  const differing = pixelmatch(expected.data, got.data, diff.data, got.width, got.height, { threshold: THRESHOLD });
  const share = differing / (got.width * got.height);
  if (differing > 0) t.diagnostic(`${differing} pixels differ (${(share * 100).toFixed(3)} %)`);
  if (share > MAX_DIFF_SHARE) {
    const dir = keep();
    writeFileSync(join(dir, `${name}.diff.png`), PNG.sync.write(diff));
    assert.fail(
      `${name}: ${differing} pixels differ (${(share * 100).toFixed(2)} %, at most ${MAX_DIFF_SHARE * 100} % allowed); ` +
        `actual, expected and diff images in ${dir}. If the change is intended, re-baseline with ${rebaseline}`,
    );
  }
}

test('the ten main pages look as in the reference screenshots, on a phone and a desktop', async (t) => {
  const version = browser.version();
  if (update) {
    mkdirSync(baselineDir, { recursive: true });
    writeFileSync(versionFile, `${version}\n`);
  } else {
    assert.ok(
      existsSync(versionFile),
      `no ${versionFile}: make the reference screenshots deliberately with ${rebaseline}`,
    );
    const recorded = readFileSync(versionFile, 'utf8').trim();
    assert.equal(
      version,
      recorded,
      `Chromium changed from ${recorded} to ${version}: the reference screenshots belong to the old one. ` +
        `Re-baseline deliberately with ${rebaseline} and review the images.`,
    );
  }
  const cookies = cookie.split('; ').map((pair) => {
    const [name, ...value] = pair.split('=');
    return { name, value: value.join('='), url: kring.url };
  });
  for (const [device, options] of devices) {
    const page = await newPage(browser, {
      ...options,
      deviceScaleFactor: 1,
      locale: 'en-GB',
      timezoneId: 'Europe/Amsterdam',
      reducedMotion: 'reduce',
      colorScheme: 'light',
    });
    await page.context().addCookies(cookies);
    try {
      for (const { name: pageName, path } of community.pages) {
        await t.test(`${pageName} on a ${device}`, async (st) => {
          compare(st, `${pageName}-${device}`, await capture(page, path));
        });
      }
      assert.deepEqual(page.problems, [], `page errors on a ${device}`);
    } finally {
      await page.context().close();
    }
  }
  if (update) t.diagnostic(`wrote the reference screenshots and ${versionFile} (${version})`);
});
