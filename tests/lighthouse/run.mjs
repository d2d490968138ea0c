// Lighthouse on Kring's ten main pages (issue 24, acceptance 1): a fresh `kring serve` seeded
// with tests/e2e/fixture.mjs, the social-team viewer's session passed as a Cookie header, Debian's
// Chromium through chrome-launcher; desktop preset and Lighthouse's default (mobile), 3 runs
// each, the median per category. Prints a table and exits 1 when a median misses its threshold,
// listing the audits that cost the points (taken from the run that gave the median).
//
//   cd tests/lighthouse && npm ci && node run.mjs
//
// Needs tests/e2e's node_modules (npm ci there) for the fixture, and target/debug/kring (or
// KRING_BIN). Environment: CHROME_PATH (default /usr/bin/chromium), KRING_LIGHTHOUSE_RUNS (3),
// KRING_LIGHTHOUSE_PAGES (e.g. "home,kpis"; default all ten), KRING_LIGHTHOUSE_FORM_FACTORS
// ("desktop,mobile"), KRING_LIGHTHOUSE_REPORTS (a folder for the median runs' HTML reports).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { ReportGenerator } from 'lighthouse/report/generator/report-generator.js';
import { startKring } from '../e2e/support.mjs';
import { seedCommunity, sessionCookie } from '../e2e/fixture.mjs';

/** Minimum median scores (0–100); SEO is printed, not enforced. */
const THRESHOLDS = { performance: 90, accessibility: 98, 'best-practices': 95 };
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const SHORT = { performance: 'perf', accessibility: 'a11y', 'best-practices': 'BP', seo: 'SEO' };

const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const runs = Number(process.env.KRING_LIGHTHOUSE_RUNS ?? 3);
const onlyPages = process.env.KRING_LIGHTHOUSE_PAGES?.split(',').filter(Boolean);
const formFactors = (process.env.KRING_LIGHTHOUSE_FORM_FACTORS ?? 'desktop,mobile').split(',');
const reportDir = process.env.KRING_LIGHTHOUSE_REPORTS;
const configs = { desktop: desktopConfig, mobile: undefined };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const score = (lhr, category) => {
  const s = lhr.categories[category]?.score;
  return s == null ? NaN : Math.round(s * 100);
};
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

/** What cost points in `category` of `lhr`: failing audits, the heaviest first. */
function losses(lhr, category) {
  const refs = lhr.categories[category].auditRefs;
  const lines = [];
  for (const ref of refs) {
    const audit = lhr.audits[ref.id];
    if (!audit || audit.score === null) continue;
    if (['notApplicable', 'informative', 'manual'].includes(audit.scoreDisplayMode)) continue;
    // Performance: every metric short of 100, and the diagnostics that clearly fail.
    if (audit.score >= (category === 'performance' && ref.weight === 0 ? 0.9 : 1)) continue;
    const items = audit.details?.items ?? [];
    const where = items
      .map((item) => item.node?.selector ?? item.url ?? item.source?.url ?? item.description)
      .filter(Boolean)
      .slice(0, 3)
      .map((s) => String(s).slice(0, 80));
    lines.push({
      weight: ref.weight,
      text:
        `${ref.id} (score ${Math.round(audit.score * 100)}${ref.weight ? `, weight ${ref.weight}` : ''}): ${audit.title}` +
        (audit.displayValue ? ` — ${audit.displayValue}` : '') +
        (where.length ? `\n        at ${where.join(' | ')}${items.length > 3 ? ` (+${items.length - 3} more)` : ''}` : ''),
    });
  }
  return lines.sort((a, b) => b.weight - a.weight).map((l) => l.text);
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
function launchChrome() {
  return chromeLauncher.launch({
    chromePath,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

/**
 * One Lighthouse run of `page` in a fresh Chromium. A run that Lighthouse itself gives up on
 * (now and then NO_NAVSTART: no trace of the navigation) is tried again, twice at most.
 */
async function measure(page, formFactor, cookie) {
  for (let attempt = 1; ; attempt++) {
    const chrome = await launchChrome();
    try {
      const result = await lighthouse(
        kring.url + page.path,
        { port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: CATEGORIES, extraHeaders: { Cookie: cookie } },
        configs[formFactor],
      );
      const { lhr } = result;
      if (!lhr.runtimeError) {
        if (!lhr.finalDisplayedUrl.endsWith(page.path)) {
          throw new Error(`${page.name} (${formFactor}) ended on ${lhr.finalDisplayedUrl}: not logged in?`);
        }
        return lhr;
      }
      const why = `${page.name} (${formFactor}): ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`;
      if (attempt === 3) throw new Error(why);
      console.log(`  (again after ${why})`);
    } finally {
      await chrome.kill();
    }
  }
}

const started = Date.now();
const kring = await startKring();
let failed = false;
try {
  const community = await seedCommunity(kring.url);
  const cookie = await sessionCookie(kring.url, community.viewer);
  const pages = community.pages.filter((p) => !onlyPages || onlyPages.includes(p.name));
  if (reportDir) mkdirSync(reportDir, { recursive: true });
  console.log(
    `Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, ` +
      `${pages.length} pages × ${formFactors.join(' and ')} × ${runs} runs, Chromium at ${chromePath}, ${kring.url}`,
  );

  const rows = [];
  for (const page of pages) {
    for (const formFactor of formFactors) {
      const lhrs = [];
      for (let i = 0; i < runs; i++) lhrs.push(await measure(page, formFactor, cookie));
      const medians = Object.fromEntries(CATEGORIES.map((c) => [c, median(lhrs.map((l) => score(l, c)))]));
      const misses = Object.entries(THRESHOLDS).filter(([c, min]) => !(medians[c] >= min)).map(([c]) => c);
      // The run that gave the median of each missed category (with 3 runs, one of them).
      const details = misses.map((c) => {
        const lhr = lhrs.find((l) => score(l, c) === medians[c]) ?? lhrs[0];
        return { category: c, lines: losses(lhr, c) };
      });
      rows.push({ page, formFactor, medians, all: lhrs.map((l) => CATEGORIES.map((c) => score(l, c))), misses, details });
      if (reportDir) {
        const lhr = lhrs.find((l) => score(l, 'performance') === medians.performance) ?? lhrs[0];
        writeFileSync(join(reportDir, `${page.name}-${formFactor}.html`), ReportGenerator.generateReport(lhr, 'html'));
      }
      console.log(
        `  ${page.name} ${formFactor}: ` +
          CATEGORIES.map((c) => `${SHORT[c]} ${medians[c]}`).join(', ') +
          ` (runs: ${lhrs.map((l) => CATEGORIES.map((c) => score(l, c)).join('/')).join(', ')}) at ${seconds(Date.now() - started)}`,
      );
    }
  }

  // The table.
  const header = ['page', 'form factor', ...CATEGORIES.map((c) => SHORT[c]), ''];
  const body = rows.map((r) => [
    r.page.name,
    r.formFactor,
    ...CATEGORIES.map((c) => String(r.medians[c]) + (r.misses.includes(c) ? ' ✗' : '')),
    r.misses.length ? 'FAIL' : 'ok',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\nLighthouse medians of ${runs} runs (thresholds: perf ≥ ${THRESHOLDS.performance}, a11y ≥ ${THRESHOLDS.accessibility}, BP ≥ ${THRESHOLDS['best-practices']}; SEO not enforced)`);
  console.log(line(header));
  for (const row of body) console.log(line(row));

  const failing = rows.filter((r) => r.misses.length);
  if (failing.length) {
    failed = true;
    console.log(`\nWhat the failing pages lose points on (from the median run):`);
    for (const r of failing) {
      for (const d of r.details) {
        console.log(`\n  ${r.page.name} (${r.page.path}), ${r.formFactor}, ${d.category} ${r.medians[d.category]} < ${THRESHOLDS[d.category]}:`);
        for (const l of d.lines.length ? d.lines : ['(no single failing audit: the score is the sum of small losses)']) {
          console.log(`    - ${l}`);
        }
      }
    }
  }
  if (reportDir) console.log(`\nHTML reports of the median runs: ${reportDir}`);
  const verdict = failing.length
    ? `${failing.length} of ${rows.length} page/form-factor pairs miss a threshold`
    : `all ${rows.length} page/form-factor pairs meet the thresholds`;
  console.log(`\nLighthouse: ${verdict} (${seconds(Date.now() - started)})`);
} catch (e) {
  failed = true;
  console.error(e);
  console.error(kring.log().split('\n').slice(-20).join('\n'));
} finally {
  await kring.stop();
}
process.exit(failed ? 1 : 0);
