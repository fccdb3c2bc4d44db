// Koers browser suite: logs in as every demo role, crawls every page reachable
// through links, and checks each page for HTTP errors, console errors, page
// errors, failed same-origin requests and axe-core (WCAG 2.1 A/AA) violations.
//
//   KOERS_BASE_URL=http://127.0.0.1:8080 node tests/browser/suite.mjs
//
// scripts/browser-suite.sh starts a demo server and runs this (and then
// journeys.mjs) for you. Shared helpers live in lib.mjs.
//
// Environment:
//   KOERS_BASE_URL        server to test (required)
//   KOERS_ROLES           comma-separated roles to crawl (default: all seven)
//   KOERS_MAX_PAGES       page cap per role (default 150)
//   KOERS_SCREENSHOT_DIR  save a screenshot of the first page per role there
//   KOERS_CHROMIUM        browser binary (default /usr/bin/chromium)
//   KOERS_AXE_TAGS        axe tags (default wcag2a,wcag2aa,wcag21a,wcag21aa)

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {
  EMAIL_DOMAIN,
  NAV_TIMEOUT_MS,
  PASSWORD,
  describeViolations,
  launchBrowser,
  requireBaseURL,
  runAxe,
} from './lib.mjs';

const ALL_ROLES = ['admin', 'executive', 'programme_lead', 'unit_lead', 'employee', 'viewer', 'hr'];
const ANONYMOUS_PAGES = ['/login', '/toegankelijkheid'];
const SKIP_PREFIXES = ['/assets/', '/api/', '/metrics'];
const SKIP_EXACT = ['/logout'];
const DOWNLOAD_EXTENSIONS = /\.(csv|tsv|xlsx?|ods|odt|docx?|pdf|zip|gz|json|xml|ya?ml|png|jpe?g|gif|svg|ico|txt)$/i;
const DOWNLOAD_SEGMENTS = /(^|\/)(export|exports|download|downloads)(\/|$)/;

const baseURL = requireBaseURL();
const origin = new URL(baseURL).origin;
const roles = (process.env.KOERS_ROLES ?? ALL_ROLES.join(','))
  .split(',')
  .map((r) => r.trim())
  .filter(Boolean);
const maxPages = Number.parseInt(process.env.KOERS_MAX_PAGES ?? '150', 10);
const screenshotDir = process.env.KOERS_SCREENSHOT_DIR || null;

/** @type {{scope: string, url: string, kind: string, detail: string}[]} */
const failures = [];
/** @type {{scope: string, pages: number, failures: number, note: string}[]} */
const summary = [];
// Every page visit, login and keyboard check counts once as passed or failed.
const checks = { passed: 0, failed: 0 };
function countCheck(ok) {
  if (ok) checks.passed += 1;
  else checks.failed += 1;
}

function fail(scope, url, kind, detail) {
  failures.push({ scope, url, kind, detail });
  console.log(`  FAIL [${kind}] ${url}\n       ${detail.split('\n').join('\n       ')}`);
}

/** The crawl key of a same-origin URL, or null when the link is not followed. */
function crawlKey(href, hasDownloadAttr) {
  let url;
  try {
    url = new URL(href, baseURL);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  if (hasDownloadAttr) return null;
  const p = url.pathname;
  if (SKIP_EXACT.includes(p) || SKIP_EXACT.some((s) => p === `${s}/`)) return null;
  if (SKIP_PREFIXES.some((prefix) => p === prefix.replace(/\/$/, '') || p.startsWith(prefix))) return null;
  if (DOWNLOAD_EXTENSIONS.test(p) || DOWNLOAD_SEGMENTS.test(p)) return null;
  return p + url.search;
}

/**
 * Open one page in a fresh tab, collect problems while it loads, run axe.
 * Returns the same-origin links found on it.
 */
async function checkPage(context, scope, pathAndQuery, { screenshotName = null, expectLoggedIn = false } = {}) {
  const page = await context.newPage();
  const problems = [];
  let recording = true;
  const record = (kind, detail) => {
    if (recording) problems.push({ kind, detail });
  };

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    const where = loc && loc.url ? ` (at ${loc.url}${loc.lineNumber ? `:${loc.lineNumber}` : ''})` : '';
    record('console-error', `${msg.text()}${where}`);
  });
  page.on('pageerror', (err) => record('page-error', String(err && err.stack ? err.stack : err)));
  page.on('requestfailed', (req) => {
    if (new URL(req.url()).origin !== origin) return;
    const why = req.failure()?.errorText ?? 'unknown';
    record('request-failed', `${req.method()} ${req.url()}: ${why}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return;
    if (new URL(res.url()).origin !== origin) return;
    if (res.status() >= 400) record('request-failed', `${req.method()} ${res.url()}: HTTP ${res.status()}`);
  });

  const url = new URL(pathAndQuery, baseURL).href;
  let links = [];
  try {
    let response;
    try {
      response = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    } catch (err) {
      if (/Download is starting/i.test(String(err))) {
        console.log(`  skip ${pathAndQuery} (download)`);
        return { links: [], visited: false };
      }
      throw err;
    }
    // Give htmx-triggered requests (hx-trigger="load") a moment to settle.
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});

    const status = response ? response.status() : 0;
    if (!response) {
      record('http-status', 'no response for the navigation');
    } else if (status >= 400) {
      record('http-status', `HTTP ${status}`);
    }
    const finalPath = new URL(page.url()).pathname;
    if (expectLoggedIn && finalPath === '/login') {
      record('session', `ended on /login (session lost or page not allowed for this role)`);
    }

    const contentType = response ? (response.headers()['content-type'] ?? '') : '';
    if (contentType.includes('text/html')) {
      for (const text of describeViolations(await runAxe(page))) record('axe', text);

      links = await page.$$eval('a[href]', (as) =>
        as.map((a) => ({ href: a.href, download: a.hasAttribute('download') })),
      );
    }

    if (screenshotName && screenshotDir) {
      await mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, `${screenshotName}.png`), fullPage: true });
    }
  } catch (err) {
    record('error', String(err && err.message ? err.message : err));
  } finally {
    recording = false;
    await page.close().catch(() => {});
  }

  for (const p of problems) fail(scope, pathAndQuery, p.kind, p.detail);
  countCheck(problems.length === 0);
  return { links, visited: true, failed: problems.length > 0 };
}

async function login(context, role) {
  const page = await context.newPage();
  const email = `${role}@${EMAIL_DOMAIN}`;
  try {
    await page.goto(new URL('/login', baseURL).href, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    await page.locator('form#login-form #email').fill(email);
    await page.locator('form#login-form #password').fill(PASSWORD);
    await Promise.all([
      page.waitForURL((u) => new URL(u).pathname === '/', { timeout: 15_000 }),
      page.locator('form#login-form button[type=submit]').click(),
    ]);
    const hasLogout = (await page.locator('form#logout-form').count()) > 0;
    if (!hasLogout) fail(role, '/', 'login', 'logged in, but there is no form#logout-form on /');
    countCheck(hasLogout);
    return true;
  } catch (err) {
    const text = await page
      .locator('main, body')
      .first()
      .innerText()
      .catch(() => '');
    fail(role, '/login', 'login', `login as ${email} did not reach /: ${err.message.split('\n')[0]}\n` +
      `ended on ${page.url()}; page text: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    countCheck(false);
    return false;
  } finally {
    await page.close().catch(() => {});
  }
}

async function crawlRole(browser, role) {
  console.log(`\n== ${role}`);
  const before = failures.length;
  const context = await browser.newContext({ baseURL, acceptDownloads: false, locale: 'nl-NL' });
  let pages = 0;
  let note = '';
  try {
    if (!(await login(context, role))) {
      summary.push({ scope: role, pages: 0, failures: failures.length - before, note: 'login failed' });
      return;
    }
    const seen = new Set(['/']);
    const queue = ['/'];
    while (queue.length > 0) {
      if (pages >= maxPages) {
        note = `capped at ${maxPages}; ${queue.length} queued links not visited`;
        break;
      }
      const next = queue.shift();
      const result = await checkPage(context, role, next, {
        screenshotName: pages === 0 ? role : null,
        expectLoggedIn: true,
      });
      if (!result.visited) continue;
      pages += 1;
      if (!result.failed) console.log(`  ok   ${next}`);
      for (const { href, download } of result.links) {
        const key = crawlKey(href, download);
        if (key !== null && !seen.has(key)) {
          seen.add(key);
          queue.push(key);
        }
      }
    }
  } finally {
    await context.close();
  }
  summary.push({ scope: role, pages, failures: failures.length - before, note });
}

async function anonymousChecks(browser) {
  console.log('\n== anonymous');
  const before = failures.length;
  const context = await browser.newContext({ baseURL, acceptDownloads: false, locale: 'nl-NL' });
  let pages = 0;
  try {
    for (const p of ANONYMOUS_PAGES) {
      const result = await checkPage(context, 'anonymous', p, {
        screenshotName: p === '/login' ? 'anonymous-login' : null,
      });
      if (result.visited) pages += 1;
      if (result.visited && !result.failed) console.log(`  ok   ${p}`);
    }
    await keyboardCheck(context);
  } finally {
    await context.close();
  }
  summary.push({ scope: 'anonymous', pages, failures: failures.length - before, note: 'incl. keyboard check' });
}

// The first Tab on the login page lands on the skip link, which is visible
// when focused and points at an element that exists.
async function keyboardCheck(context) {
  const page = await context.newPage();
  const before = failures.length;
  try {
    await page.goto(new URL('/login', baseURL).href, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const firstMainLink = document.querySelector('a[href="#main"]');
      const rect = el.getBoundingClientRect();
      const href = el.getAttribute('href');
      const targetId = href && href.startsWith('#') ? href.slice(1) : null;
      return {
        tag: el.tagName.toLowerCase(),
        cls: el.className,
        href,
        isSkipLink: el.matches('a.skip-link') || (el === firstMainLink && el.tagName === 'A'),
        visible: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 &&
          rect.top < window.innerHeight && rect.left < window.innerWidth,
        targetExists: targetId ? document.getElementById(targetId) !== null : false,
        text: (el.textContent || '').trim().slice(0, 60),
      };
    });
    if (!focused) {
      fail('anonymous', '/login', 'keyboard', 'the first Tab focused nothing');
    } else if (!focused.isSkipLink) {
      fail('anonymous', '/login', 'keyboard',
        `the first Tab focused <${focused.tag} class="${focused.cls}" href="${focused.href ?? ''}"> ` +
        `"${focused.text}", not the skip link (a.skip-link or a[href="#main"])`);
    } else {
      if (!focused.visible) fail('anonymous', '/login', 'keyboard', 'the skip link is not visible when focused');
      if (!focused.targetExists) {
        fail('anonymous', '/login', 'keyboard', `the skip link points at ${focused.href}, which is not on the page`);
      }
      if (focused.visible && focused.targetExists) console.log('  ok   keyboard: first Tab focuses the skip link');
    }
  } catch (err) {
    fail('anonymous', '/login', 'keyboard', String(err.message ?? err));
  } finally {
    await page.close().catch(() => {});
  }
  countCheck(failures.length === before);
}

function printSummary() {
  const rows = summary.map((s) => [s.scope, String(s.pages), String(s.failures), s.note]);
  const head = ['role', 'pages', 'failures', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log('\n== summary');
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));

  if (failures.length > 0) {
    const byKind = new Map();
    for (const f of failures) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    console.log(`\nfailures by kind: ${[...byKind].map(([k, n]) => `${k}=${n}`).join(', ')}`);
    // The same axe rule on the same path for several roles is one problem to fix.
    const axe = new Map();
    for (const f of failures.filter((x) => x.kind === 'axe')) {
      const id = f.detail.split(' ')[0];
      const entry = axe.get(id) ?? { paths: new Set(), help: f.detail.split('\n')[0] };
      entry.paths.add(f.url);
      axe.set(id, entry);
    }
    for (const [, e] of axe) console.log(`  axe ${e.help}  on ${e.paths.size} path(s): ${[...e.paths].slice(0, 8).join(' ')}`);
  }
}

async function main() {
  const started = Date.now();
  const browser = await launchBrowser();
  try {
    await anonymousChecks(browser);
    for (const role of roles) {
      await crawlRole(browser, role);
    }
  } finally {
    await browser.close();
  }
  printSummary();
  console.log(`\nbrowser suite took ${Math.round((Date.now() - started) / 1000)}s`);
  console.log(`browser: ${checks.passed} passed, ${checks.failed} failed`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
