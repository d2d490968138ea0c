// Temporary: screenshots of pages for a visual check (not a test).
import { launchBrowser, newPage } from './support.mjs';
const base = process.env.BASE ?? 'http://127.0.0.1:8099';
const who = process.env.WHO ?? 'anna@kring.example';
const pages = (process.env.PAGES ?? '/').split(',');
const widths = (process.env.WIDTHS ?? '390,1280').split(',').map(Number);
const scheme = process.env.SCHEME ?? 'light';
const locale = process.env.LOCALE ?? 'en-GB';
const browser = await launchBrowser();
for (const width of widths) {
  const page = await newPage(browser, { viewport: { width, height: width < 600 ? 844 : 800 }, colorScheme: scheme, locale });
  await page.goto(base + '/login');
  await page.locator('#email').fill(who);
  await page.locator('#password').fill('kring-demo-2026');
  await page.locator('main form button[type=submit]').first().click();
  await page.waitForLoadState('networkidle');
  for (const p of pages) {
    await page.goto(base + p);
    if (process.env.CLICK) { await page.locator(process.env.CLICK).first().click(); await page.waitForTimeout(500); }
    const name = `/tmp/shots/${p.replace(/[^a-z0-9]+/gi, '_')}-${width}-${scheme}-${locale}.png`;
    await page.screenshot({ path: name, fullPage: process.env.FULL !== '0' });
    console.log(name, page.problems.join(' | '));
  }
}
await browser.close();
