// Koers journeys: the paths a person takes through the app, step by step in
// a real browser. Every state reached (each page load, each form response)
// is checked with axe-core, and any console error or page error fails the
// journey.
//
//   KOERS_BASE_URL=http://127.0.0.1:8080 node tests/browser/journeys.mjs
//
// scripts/browser-suite.sh runs this after suite.mjs against the same demo
// server. The journeys change data (a unit, a person, a token, a language
// switch that is undone) and journey 7 locks unit_lead@ out for 15 minutes
// (it expects to be throttled after exactly five wrong passwords), so run
// them against a fresh demo server.
//
// Environment:
//   KOERS_BASE_URL        server to test (required)
//   KOERS_JOURNEYS        comma-separated journey numbers to run (default: all)
//   KOERS_SCREENSHOT_DIR  save the phone screenshots (journey 6) there
//   KOERS_CHROMIUM, KOERS_AXE_TAGS: see lib.mjs
//
// A document that answers 4xx on purpose (a form with errors: 400, a wrong
// password: 401, throttled: 429) makes Chromium log "Failed to load resource:
// the server responded with a status of ..." for that document. That one
// console message is excused when the journey asserted exactly that status
// for exactly that URL; every other console error fails the journey.

import { createHmac } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  EMAIL_DOMAIN,
  NAV_TIMEOUT_MS,
  PASSWORD,
  describeViolations,
  launchBrowser,
  requireBaseURL,
  runAxe,
} from './lib.mjs';

const baseURL = requireBaseURL();
const origin = new URL(baseURL).origin;
const screenshotDir = process.env.KOERS_SCREENSHOT_DIR || null;
const only = (process.env.KOERS_JOURNEYS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const STAMP = Date.now().toString(36);
const PHONE = { width: 375, height: 800 };

const email = (role) => `${role}@${EMAIL_DOMAIN}`;
const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------
// Translations: the journeys compare texts with locales/*/main.toml, so a
// changed wording does not break them but a wrong language does.

function parseLocale(text) {
  const out = new Map();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (kv) out.set(section ? `${section}.${kv[1]}` : kv[1], JSON.parse(`"${kv[2]}"`));
  }
  return out;
}
const texts = {
  nl: parseLocale(await readFile(path.join(here, '../../locales/nl/main.toml'), 'utf8')),
  en: parseLocale(await readFile(path.join(here, '../../locales/en/main.toml'), 'utf8')),
};
function tr(lang, key) {
  const value = texts[lang].get(key);
  if (value === undefined) throw new Error(`locales/${lang}/main.toml has no ${key}`);
  return value;
}

// ---------------------------------------------------------------------------
// A journey: hard failures (a step that did not work) throw and end it; axe
// violations and console errors are recorded and the journey goes on, so one
// run shows all of them.

class Journey {
  constructor(number, title) {
    this.number = number;
    this.title = title;
    this.problems = [];
    this.states = 0;
    this.contexts = [];
    /** console/page errors, filtered when reported */
    this.events = [];
    this.reported = 0;
    /** "status url" of documents that answered an error status on purpose */
    this.expectedErrorDocs = new Set();
    this.notes = [];
  }

  problem(text) {
    this.problems.push(text);
  }

  async newContext(browser, options = {}) {
    const context = await browser.newContext({ baseURL, acceptDownloads: false, locale: 'nl-NL', ...options });
    this.contexts.push(context);
    return context;
  }

  async newPage(context) {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location();
      this.events.push({ kind: 'console-error', text: msg.text(), url: loc?.url ?? '', line: loc?.lineNumber ?? 0 });
    });
    page.on('pageerror', (err) => {
      this.events.push({ kind: 'page-error', text: String(err && err.stack ? err.stack : err), url: page.url() });
    });
    page.on('requestfailed', (req) => {
      if (new URL(req.url()).origin !== origin) return;
      // A navigation that is replaced by the next one is not a failure.
      if (req.isNavigationRequest() && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      this.events.push({ kind: 'request-failed', text: `${req.method()} ${req.url()}: ${req.failure()?.errorText}` });
    });
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return;
      if (new URL(res.url()).origin !== origin) return;
      if (res.status() >= 400) {
        this.events.push({ kind: 'request-failed', text: `${req.method()} ${res.url()}: HTTP ${res.status()}` });
      }
    });
    return page;
  }

  excused(event) {
    if (event.kind !== 'console-error') return false;
    const m = /^Failed to load resource: the server responded with a status of (\d{3})\b/.exec(event.text);
    return m !== null && this.expectedErrorDocs.has(`${m[1]} ${event.url}`);
  }

  flushEvents(label) {
    for (; this.reported < this.events.length; this.reported += 1) {
      const e = this.events[this.reported];
      if (this.excused(e)) continue;
      const where = e.url ? ` (at ${e.url}${e.line ? `:${e.line}` : ''})` : '';
      this.problem(`${e.kind} during "${label}": ${e.text}${where}`);
    }
  }

  /** One state reached: wait for htmx to settle, run axe, report errors. */
  async check(page, label) {
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    this.states += 1;
    const where = new URL(page.url()).pathname;
    for (const text of describeViolations(await runAxe(page))) {
      this.problem(`axe on "${label}" (${where}): ${text}`);
    }
    this.flushEvents(label);
  }

  /** Assert the status of a document response; remember an expected 4xx. */
  status(response, expected, what) {
    const allowed = [].concat(expected);
    const status = response ? response.status() : 0;
    if (!allowed.includes(status)) {
      // The thrown error reports this status; do not report its console line too.
      if (response && status >= 400) this.expectedErrorDocs.add(`${status} ${response.url()}`);
      throw new Error(`${what}: HTTP ${status}${response ? ` at ${response.url()}` : ' (no response)'}, expected ${allowed.join(' or ')}`);
    }
    if (status >= 400) this.expectedErrorDocs.add(`${status} ${response.url()}`);
    return response;
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
    this.contexts = [];
  }
}

// ---------------------------------------------------------------------------
// Steps.

async function go(j, page, pathAndQuery, expected = 200) {
  const response = await page.goto(new URL(pathAndQuery, baseURL).href, { waitUntil: 'load' });
  return j.status(response, expected, `GET ${pathAndQuery}`);
}

/** Do something that submits a form; wait for the resulting document. */
async function submit(j, page, action, expected, what) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return j.status(response, expected, what);
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

function expectPath(page, wanted, what) {
  const p = pathOf(page);
  if (p !== wanted) throw new Error(`${what}: ended on ${p}, expected ${wanted}`);
}

async function text(locator) {
  return ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The flash message (role=status in main); throws when there is none. */
async function flash(page, what) {
  const el = page.locator('main .koers-flash[role="status"], main [role="status"]').first();
  if ((await el.count()) === 0 || !(await el.isVisible())) throw new Error(`${what}: no visible flash message (role=status)`);
  const t = await text(el);
  if (!t) throw new Error(`${what}: the flash message (role=status) is empty`);
  return t;
}

function formByAction(page, action) {
  return page.locator(`form[method="post" i][action="${action}"]`);
}

async function login(j, page, who, password = PASSWORD) {
  await go(j, page, '/login');
  await j.check(page, 'login page');
  await page.locator('form#login-form #email').fill(who);
  await page.locator('form#login-form #password').fill(password);
  await submit(j, page, () => page.locator('form#login-form button[type=submit]').click(), 200, `log in as ${who}`);
  expectPath(page, '/', `log in as ${who}`);
  if ((await page.locator('form#logout-form').count()) === 0) throw new Error(`log in as ${who}: no form#logout-form on /`);
  await j.check(page, `start page (${who})`);
}

/** Field with an error: aria-invalid, a message id="<id>-error" that is described by. */
async function expectFieldError(page, id, what) {
  const field = page.locator(`#${id}`);
  if ((await field.count()) !== 1) throw new Error(`${what}: no #${id}`);
  const invalid = await field.getAttribute('aria-invalid');
  if (invalid !== 'true') throw new Error(`${what}: #${id} has aria-invalid=${JSON.stringify(invalid)}, expected "true"`);
  const message = page.locator(`#${id}-error`);
  if ((await message.count()) !== 1 || !(await message.isVisible())) throw new Error(`${what}: no visible #${id}-error`);
  if (!(await text(message))) throw new Error(`${what}: #${id}-error is empty`);
  const describedBy = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/);
  if (!describedBy.includes(`${id}-error`)) {
    throw new Error(`${what}: #${id} aria-describedby="${describedBy.join(' ')}" does not point at #${id}-error`);
  }
  return text(message);
}

/** Records a problem when the page scrolls sideways at phone width. */
async function noHorizontalScroll(j, page, what) {
  const m = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const r = el.getBoundingClientRect();
      const t = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${id}${cls} (${Math.round(r.width)}px wide, right edge ${Math.round(r.right)}${t ? `, "${t}"` : ''})`;
    };
    const sticking = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > width + 1;
    });
    // Content that cannot shrink: the usual causes of sideways scrolling.
    const rigid = sticking
      .filter((el) => el.matches('table, pre, code, img, svg, video, iframe, input, select, textarea') ||
        getComputedStyle(el).whiteSpace === 'nowrap')
      .sort((x, y) => y.getBoundingClientRect().width - x.getBoundingClientRect().width);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      rigid: rigid.slice(0, 4).map(describe),
      outer: sticking.slice(0, 3).map(describe),
    };
  });
  if (m.scrollWidth > PHONE.width + 1) {
    j.problem(`${what}: scrolls sideways at ${PHONE.width}px (documentElement.scrollWidth ${m.scrollWidth}); ` +
      `too wide: ${m.outer.join(', ')}` + (m.rigid.length ? `; content that does not shrink: ${m.rigid.join(', ')}` : ''));
  }
}

async function screenshot(page, name) {
  if (!screenshotDir) return;
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

// ---------------------------------------------------------------------------
// The journeys.

/** 1. Admin adds a unit (first with an empty name), opens it and renames it. */
async function unitJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('admin'));
  await go(j, page, '/units');
  await j.check(page, 'units');

  const form = formByAction(page, '/units');
  if ((await form.count()) !== 1) throw new Error('/units has no form[action="/units"][method=post]');
  await form.locator('#name').fill('');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'add a unit without a name');
  const summary = page.locator('[role="alert"]');
  if ((await summary.count()) === 0) throw new Error('empty unit name: no error summary (role=alert)');
  if ((await summary.locator('a[href="#name"]').count()) === 0) {
    throw new Error('empty unit name: the error summary has no link to #name');
  }
  await expectFieldError(page, 'name', 'empty unit name');
  await j.check(page, 'units: empty name error');
  // The link in the summary takes the keyboard to the field.
  await summary.locator('a[href="#name"]').first().click();
  const focused = await page.evaluate(() => document.activeElement?.id ?? null);
  if (focused !== 'name') throw new Error(`the error summary link to #name moved focus to ${JSON.stringify(focused)}, not #name`);

  const name = `Reisteam ${STAMP}`;
  await formByAction(page, '/units').locator('#name').fill(name);
  await submit(j, page, () => formByAction(page, '/units').locator('button[type=submit]').click(), 200, 'add unit');
  expectPath(page, '/units', 'add unit');
  await flash(page, 'add unit');
  const link = page.locator('.koers-tree a', { hasText: name });
  if ((await link.count()) !== 1) throw new Error(`add unit: "${name}" is not (once) in the unit tree`);
  await j.check(page, 'units: unit added');

  const href = await link.getAttribute('href');
  await submit(j, page, () => link.click(), 200, `open unit ${href}`);
  expectPath(page, href, 'open unit');
  if ((await text(page.locator('h1'))) !== name) throw new Error(`unit page: h1 is not "${name}"`);
  await j.check(page, 'unit page');

  const renamed = `${name} hernoemd`;
  const edit = formByAction(page, href);
  if ((await edit.count()) !== 1) throw new Error(`unit page has no form[action="${href}"][method=post]`);
  await edit.locator('#name').fill(renamed);
  await submit(j, page, () => edit.locator('button[type=submit]').click(), 200, 'rename unit');
  expectPath(page, href, 'rename unit');
  await flash(page, 'rename unit');
  const h1 = await text(page.locator('h1'));
  if (h1 !== renamed) throw new Error(`rename unit: h1 is "${h1}", expected "${renamed}"`);
  await j.check(page, 'unit page: renamed');
}

/** 2. Admin adds a person; the person accepts the invitation and logs in. */
async function invitationJourney(j, browser) {
  const admin = await j.newPage(await j.newContext(browser));
  await login(j, admin, email('admin'));
  await go(j, admin, '/admin/users');
  await j.check(admin, 'people');

  const fullName = `Robin Reiziger ${STAMP}`;
  const address = `robin.${STAMP}@${EMAIL_DOMAIN}`;
  const form = formByAction(admin, '/admin/users');
  if ((await form.count()) !== 1) throw new Error('/admin/users has no form[action="/admin/users"][method=post]');
  await form.locator('#name').fill(fullName);
  await form.locator('#email').fill(address);
  await form.locator('#role').selectOption('employee');
  await submit(j, admin, () => form.locator('button[type=submit]').click(), [200, 201], 'add person');
  const code = admin.locator('code', { hasText: '/invitation/' });
  if ((await code.count()) === 0) throw new Error('add person: no <code> with an invitation link (containing "/invitation/")');
  const link = new URL((await text(code)).trim(), baseURL);
  await j.check(admin, 'person added, invitation link shown');
  if (link.origin !== origin) j.notes.push(`invitation link origin ${link.origin} differs from ${origin}; used its path`);
  const invitationPath = link.pathname + link.search;

  // The invited person, in a browser without the admin's session.
  const guest = await j.newPage(await j.newContext(browser));
  await go(j, guest, invitationPath);
  for (const id of ['password', 'password_confirmation']) {
    if ((await guest.locator(`#${id}`).count()) !== 1) throw new Error(`invitation page has no #${id}`);
  }
  await j.check(guest, 'invitation page');

  await guest.locator('#password').fill('Lange-reis-wachtwoord-1');
  await guest.locator('#password_confirmation').fill('Andere-reis-wachtwoord-2');
  await submit(j, guest, () => guest.locator('main form button[type=submit]').click(), 400, 'accept with mismatched passwords');
  await expectFieldError(guest, 'password_confirmation', 'mismatched passwords');
  if ((await guest.locator('[role="alert"]').count()) === 0) throw new Error('mismatched passwords: no error summary (role=alert)');
  await j.check(guest, 'invitation: passwords differ');

  const password = 'Lange-reis-wachtwoord-1';
  await guest.locator('#password').fill(password);
  await guest.locator('#password_confirmation').fill(password);
  await submit(j, guest, () => guest.locator('main form button[type=submit]').click(), 200, 'accept with matching passwords');
  expectPath(guest, '/login', 'accept invitation');
  const status = guest.locator('main [role="status"]');
  if ((await status.count()) === 0 || !(await text(status))) throw new Error('accept invitation: /login shows no status message');
  await j.check(guest, 'login after accepting');

  await login(j, guest, address, password);
  const shown = await text(guest.locator('.koers-user-menu__name'));
  if (!shown.includes(fullName)) throw new Error(`start page: the user menu shows "${shown}", not "${fullName}"`);
  const h1 = await text(guest.locator('h1'));
  if (!h1.includes(fullName.split(' ')[0])) throw new Error(`start page: h1 "${h1}" does not greet ${fullName.split(' ')[0]}`);
}

/** 3. Admin creates an API token, sees the secret once, and revokes it. */
async function tokenJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('admin'));
  await go(j, page, '/account/tokens');
  await j.check(page, 'tokens');

  const name = `reis-token-${STAMP}`;
  const form = formByAction(page, '/account/tokens');
  await form.locator('#name').fill(name);
  await form.locator('#expires_in_days').fill('30');
  await submit(j, page, () => form.locator('button[type=submit]').click(), [200, 201], 'create token');
  const secret = page.locator('#new-token-secret');
  if ((await secret.count()) !== 1) throw new Error('create token: no #new-token-secret');
  const value = await text(secret);
  if (!value.startsWith('koers_')) throw new Error(`create token: the secret does not start with "koers_" (starts "${value.slice(0, 6)}")`);
  await j.check(page, 'token created, secret shown');

  const row = page.locator('table tbody tr', { hasText: name });
  if ((await row.count()) !== 1) throw new Error(`create token: "${name}" is not (once) in the table`);
  const button = row.locator('button[type=submit]');
  if ((await button.count()) !== 1) throw new Error(`token "${name}": no revoke button in its row`);
  await submit(j, page, () => button.click(), 200, 'revoke token');
  expectPath(page, '/account/tokens', 'revoke token');
  await flash(page, 'revoke token');
  if ((await page.locator('#new-token-secret').count()) !== 0) throw new Error('after revoking, the secret is shown again');
  const after = page.locator('table tbody tr', { hasText: name });
  const rowText = await text(after);
  if (!/Ingetrokken|Revoked/.test(rowText)) throw new Error(`revoke token: the row says "${rowText}", not Ingetrokken/Revoked`);
  if ((await after.locator('button').count()) !== 0) throw new Error('revoke token: the revoked row still has a button');
  await j.check(page, 'token revoked');
}

/** The current six-digit code of an authenticator app holding `secret` (RFC 6238). */
function totpCode(secret, stepOffset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + stepOffset));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(binary).padStart(6, '0');
}

/** 18. The viewer sets up two-step login, logs in with a code, then turns it off. */
async function secondFactorJourney(j, browser) {
  const context = await j.newContext(browser);
  const page = await j.newPage(context);
  await login(j, page, email('viewer'));
  await go(j, page, '/account/security');
  await j.check(page, 'login security, off');
  await submit(j, page, () => page.locator('form[action="/account/security/setup"] button').click(), 200, 'start set-up');
  const secret = await text(page.locator('#totp-secret'));
  if (!/^[A-Z2-7]{32}$/.test(secret)) throw new Error(`set-up: the key "${secret}" is not 32 base32 characters`);
  const qr = page.locator('figure.koers-qr img');
  if ((await qr.count()) !== 1 || !(await qr.getAttribute('alt'))) throw new Error('set-up: no QR image with alt text');
  await j.check(page, 'two-step set-up with QR code');
  await page.locator('#code').fill('000000');
  await submit(j, page, () => page.locator('form[action="/account/security/confirm"] button').click(), 400, 'wrong first code');
  if ((await page.locator('#code-error').count()) !== 1) throw new Error('wrong first code: no message beside the field');
  await j.check(page, 'set-up with an error');
  await page.locator('#code').fill(totpCode(secret));
  await submit(j, page, () => page.locator('form[action="/account/security/confirm"] button').click(), 200, 'confirm code');
  const codes = await page.locator('#recovery-codes code').count();
  if (codes !== 10) throw new Error(`confirm code: ${codes} recovery codes shown, expected 10`);
  const recovery = await text(page.locator('#recovery-codes code').first());
  await j.check(page, 'recovery codes shown');

  // Log out and in again: the password, then a code (the next step's, as
  // the confirming code is spent).
  await submit(j, page, () => page.locator('#logout-form button').click(), 200, 'log out');
  expectPath(page, '/login', 'log out');
  await j.check(page, 'logged out');
  await page.locator('form#login-form #email').fill(email('viewer'));
  await page.locator('form#login-form #password').fill(PASSWORD);
  await submit(j, page, () => page.locator('form#login-form button[type=submit]').click(), 200, 'password step');
  expectPath(page, '/login/code', 'password step');
  await j.check(page, 'code step');
  await page.locator('#code').fill(totpCode(secret, 1));
  await submit(j, page, () => page.locator('form[action="/login/code"] button').click(), 200, 'code step');
  expectPath(page, '/', 'code step');
  await j.check(page, 'logged in with a code');

  // Leave the account as it was, for the crawl and other journeys.
  await go(j, page, '/account/security');
  // A recovery code: the app's next codes may all be spent within this minute.
  await page.locator('#remove-code').fill(recovery);
  await submit(j, page, () => page.locator('form[action="/account/security/remove"] button').click(), 200, 'turn off');
  await flash(page, 'turn off');
}

/** 4. Keyboard only: skip link, then the login form. */
async function keyboardJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await go(j, page, '/login');
  await j.check(page, 'login page');
  const active = () => page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { desc: 'nothing (body)' };
    return {
      id: el.id,
      skip: el.matches('a.skip-link'),
      desc: `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${el.className ? ` class="${el.className}"` : ''}>`,
    };
  });

  await page.keyboard.press('Tab');
  let a = await active();
  if (!a.skip) throw new Error(`the first Tab focused ${a.desc}, not a.skip-link`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 2_000 }).catch(() => {});
  a = await active();
  if (a.id !== 'main') throw new Error(`Enter on the skip link left focus on ${a.desc}, not #main`);
  await j.check(page, 'login page, focus on main');

  const passed = [];
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    a = await active();
    if (a.id === 'email') break;
    passed.push(a.desc);
  }
  if (a.id !== 'email') throw new Error(`Tab from #main never reached #email (passed ${passed.slice(0, 6).join(', ')})`);
  if (passed.length > 0) j.notes.push(`Tab from #main passes ${passed.length} element(s) before #email`);
  await page.keyboard.type(email('executive'));
  await page.keyboard.press('Tab');
  a = await active();
  if (a.id !== 'password') throw new Error(`Tab after #email focused ${a.desc}, not #password`);
  await page.keyboard.type(PASSWORD);
  await submit(j, page, () => page.keyboard.press('Enter'), 200, 'submit the login form with Enter');
  expectPath(page, '/', 'keyboard login');
  if ((await page.locator('form#logout-form').count()) === 0) throw new Error('keyboard login: not logged in');
  await j.check(page, 'start page after keyboard login');
}

/** 5. An employee switches the language to English and back. */
async function languageJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('employee'));
  await go(j, page, '/account');
  await j.check(page, 'account');
  const form = formByAction(page, '/account');
  if ((await form.locator('#locale').count()) !== 1) throw new Error('/account has no #locale in form[action="/account"]');

  const switchTo = async (lang) => {
    await form.locator('#locale').selectOption(lang);
    await submit(j, page, () => form.locator('button[type=submit]').click(), 200, `save language ${lang}`);
    expectPath(page, '/account', `save language ${lang}`);
    const htmlLang = await page.getAttribute('html', 'lang');
    if (htmlLang !== lang) throw new Error(`after choosing ${lang}: html[lang]="${htmlLang}"`);
    const checks = [
      ['flash', await flash(page, `save language ${lang}`), tr(lang, 'flash.account_saved')],
      ['h1', await text(page.locator('main h1')), tr(lang, 'account.heading')],
      ['skip link', await text(page.locator('a.skip-link')), tr(lang, 'shell.skip_link')],
      ['#locale label', await text(page.locator('label[for="locale"]')), tr(lang, 'account.locale')],
    ];
    for (const [what, got, want] of checks) {
      if (got !== want) throw new Error(`after choosing ${lang}: ${what} is "${got}", expected "${want}"`);
    }
    const selected = await form.locator('#locale').inputValue();
    if (selected !== lang) throw new Error(`after choosing ${lang}: #locale shows "${selected}"`);
    await j.check(page, `account in ${lang}`);
  };
  await switchTo('en');
  // Another page is in English too.
  await go(j, page, '/');
  if ((await page.getAttribute('html', 'lang')) !== 'en') throw new Error('start page after choosing en: html[lang] is not "en"');
  await j.check(page, 'start page in en');
  await go(j, page, '/account');
  await switchTo('nl');
}

/** 6. On a phone: login and start page without sideways scrolling. */
async function phoneJourney(j, browser) {
  const context = await j.newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await j.newPage(context);
  await go(j, page, '/login');
  await screenshot(page, 'phone-login');
  await j.check(page, 'login page on a phone');
  await noHorizontalScroll(j, page, 'login page on a phone');
  await page.locator('form#login-form #email').fill(email('viewer'));
  await page.locator('form#login-form #password').fill(PASSWORD);
  await submit(j, page, () => page.locator('form#login-form button[type=submit]').tap(), 200, 'log in on a phone');
  expectPath(page, '/', 'log in on a phone');
  await screenshot(page, 'phone-start');
  await j.check(page, 'start page on a phone');
  await noHorizontalScroll(j, page, 'start page on a phone');
}

/** 7. Wrong passwords: after five, the account is throttled. */
async function throttleJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  const who = email('unit_lead');
  await go(j, page, '/login');
  await j.check(page, 'login page');
  const failedText = tr('nl', 'login.failed');
  for (let attempt = 1; attempt <= 6; attempt += 1) {
    await page.locator('form#login-form #email').fill(who);
    await page.locator('form#login-form #password').fill(`fout-wachtwoord-${attempt}`);
    const expected = attempt <= 5 ? 401 : 429;
    let response;
    try {
      response = await submit(j, page, () => page.locator('form#login-form button[type=submit]').click(), expected,
        `wrong password, attempt ${attempt}`);
    } catch (err) {
      if (attempt <= 5 && / HTTP 429 /.test(err.message)) {
        throw new Error(`${err.message}; throttled before five failures (did unit_lead@ fail to log in on this server in the last 15 minutes?)`);
      }
      throw err;
    }
    const alert = page.locator('main [role="alert"]');
    if ((await alert.count()) === 0) throw new Error(`wrong password, attempt ${attempt}: no alert (role=alert)`);
    const said = await text(alert);
    if (attempt <= 5) {
      if (said !== failedText) throw new Error(`wrong password, attempt ${attempt}: alert says "${said}", expected "${failedText}"`);
      await j.check(page, `wrong password, attempt ${attempt}`);
    } else {
      if (!/minuten|minutes/.test(said)) throw new Error(`throttled: the alert says "${said}", without "minuten"/"minutes"`);
      if (!response.headers()['retry-after']) j.problem('throttled: the 429 response has no Retry-After header');
      if ((await page.locator('form#login-form #email').inputValue()) !== who) {
        j.problem('throttled: the e-mail address is not kept in the form');
      }
      await j.check(page, 'throttled (429)');
    }
  }
}

/**
 * 8. A programme lead defines an indicator (first without a name), sets a
 * target, uploads a Dutch CSV (one bad row first: nothing imported, the row
 * and column named), confirms the preview and sees chart, table and status.
 */
async function indicatorImportJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('programme_lead'));
  await go(j, page, '/indicators/new');
  await j.check(page, 'new indicator form');
  const code = `REIS-${STAMP.toUpperCase()}`;
  const form = formByAction(page, '/indicators');
  await form.locator('#code').fill(code);
  await form.locator('#unit').selectOption('percentage');
  await form.locator('#frequency').selectOption('month');
  await form.locator('#direction').selectOption('higher_is_better');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'define without a name');
  await expectFieldError(page, 'name', 'define without a name');
  await j.check(page, 'indicator form with an error');
  await formByAction(page, '/indicators').locator('#name').fill('Tevredenheid digitale balie (reis)');
  await submit(j, page, () => formByAction(page, '/indicators').locator('button[type=submit]').click(), 200, 'define indicator');
  const detailPath = pathOf(page);
  if (!/^\/indicators\/\d+$/.test(detailPath)) throw new Error(`define indicator: ended on ${detailPath}`);
  await flash(page, 'define indicator');
  const targetForm = formByAction(page, `${detailPath}/targets`);
  await targetForm.locator('#target_date').fill('31-12-2027');
  await targetForm.locator('#target_value').fill('80');
  await submit(j, page, () => targetForm.locator('button[type=submit]').click(), 200, 'set target');
  await j.check(page, 'indicator with a target, no data yet');

  const upload = async (csv, expected, what) => {
    await go(j, page, '/indicators/import');
    await j.check(page, `import page (${what})`);
    await page.locator('#file').setInputFiles({ name: 'metingen.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await submit(j, page, () => formByAction(page, '/indicators/import').locator('button[type=submit]').click(), expected, what);
  };
  const months = ['06', '07', '08', '09', '10', '11'];
  const rows = months.map((m, i) => `${code};2026-${m};${(62 + i * 1.5).toFixed(1).replace('.', ',')};`);
  const bad = ['\ufeffIndicator;Periode;Waarde;Toelichting', ...rows.slice(0, 3), `${code};2026-13;70;`, ''].join('\n');
  await upload(bad, 400, 'upload a CSV with a bad period');
  const problems = await text(page.locator('main [role="alert"] table tbody'));
  if (!problems.includes('5') || !problems.includes(tr('nl', 'import.column.period'))) {
    throw new Error(`bad upload: the problem table does not name row 5, column periode: "${problems}"`);
  }
  await j.check(page, 'import refused with problems');

  const good = ['\ufeffIndicator;Periode;Waarde;Toelichting', ...rows, ''].join('\n');
  await upload(good, 200, 'upload a Dutch CSV');
  const summary = await text(page.locator('main p').filter({ hasText: 'metingen.csv' }));
  if (!summary.includes('6 nieuwe waarden')) throw new Error(`preview: "${summary}" does not announce 6 new values`);
  if ((await page.locator('main table tbody tr').count()) !== 6) throw new Error('preview: the table does not list 6 changes');
  await j.check(page, 'import preview');
  await submit(j, page, () => page.locator('main form.koers-actions button[type=submit]').click(), 200, 'confirm import');
  expectPath(page, '/indicators', 'confirm import');
  await flash(page, 'confirm import');

  await go(j, page, detailPath);
  const chart = page.locator('main svg[role="img"]');
  if ((await chart.count()) < 1) throw new Error('indicator page: no chart (svg role=img)');
  const statusText = await text(page.locator('main .koers-status'));
  if (statusText.includes(tr('nl', 'status.no_data'))) throw new Error(`indicator page: status still says no data: "${statusText}"`);
  if (!/80/.test(statusText)) throw new Error(`indicator page: the status reasoning does not mention the target 80: "${statusText}"`);
  const table = await text(page.locator('main table').filter({ hasText: '2026-11' }));
  if (!table.includes('69,5')) throw new Error(`indicator page: the data table lacks the November value 69,5: "${table.slice(0, 200)}"`);
  await j.check(page, 'indicator with imported data');
  await screenshot(page, 'indicator-imported');
}


/** 9. A programme lead records an executive change; the health panel turns
 * to "renewed commitment needed" until the new executive confirms. */
async function executiveChangeJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('programme_lead'));
  await go(j, page, '/programmes');
  await j.check(page, 'programmes');
  const today = new Date();
  const dmy = (d) => `${String(d.getDate()).padStart(2, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${d.getFullYear()}`;
  const name = `Reisprogramma ${STAMP}`;
  const create = formByAction(page, '/programmes');
  await create.locator('#name').fill(name);
  await create.locator('#starts_on').fill(`01-01-${today.getFullYear()}`);
  await create.locator('#ends_on').fill('31-12-2020');
  await submit(j, page, () => create.locator('button[type=submit]').click(), 400, 'programme ending before it starts');
  await expectFieldError(page, 'ends_on', 'programme ending before it starts');
  await j.check(page, 'programme form with an error');
  await formByAction(page, '/programmes').locator('#ends_on').fill(`31-12-${today.getFullYear() + 2}`);
  await submit(j, page, () => formByAction(page, '/programmes').locator('button[type=submit]').click(), 200, 'create programme');
  const programmePath = pathOf(page);
  if (!/^\/programmes\/\d+$/.test(programmePath)) throw new Error(`create programme: ended on ${programmePath}`);
  await flash(page, 'create programme');

  const executiveCheck = () => page.locator('main .koers-health__check').filter({ hasText: tr('nl', 'health.check.executive_confirmed') });
  const recordExecutive = async (fill, what) => {
    await go(j, page, `${programmePath}/executives/new`);
    await j.check(page, `executive form (${what})`);
    const form = formByAction(page, `${programmePath}/executives/new`);
    await fill(form);
    await submit(j, page, () => form.locator('button[type=submit]').click(), 200, what);
    expectPath(page, programmePath, what);
  };
  await recordExecutive(async (form) => {
    await form.locator('#name').fill('A. de Boer');
    await form.locator('#title').fill('wethouder Dienstverlening');
    await form.locator('#mandate').fill('Stuurt het programma namens het college.');
    await form.locator('#budget_amount').fill('1.500.000');
    await form.locator('#starts_on').fill(`01-01-${today.getFullYear()}`);
  }, 'record the first executive');
  // No account: the programme lead records the confirmation given.
  await submit(j, page, () => page.locator('main .utrecht-alert a[href$="/confirm"]').click(), 200, 'open confirmation');
  await j.check(page, 'confirmation form');
  await page.locator('#note').fill('Bevestigd in de collegevergadering.');
  await submit(j, page, () => page.locator('main form button[type=submit]').click(), 200, 'confirm on behalf');
  expectPath(page, programmePath, 'confirm on behalf');
  if (!(await text(executiveCheck())).includes(tr('nl', 'health.verdict.pass'))) {
    throw new Error(`after confirming: the executive check does not pass: "${await text(executiveCheck())}"`);
  }

  await recordExecutive(async (form) => {
    await form.locator('#user_id').selectOption({ label: 'Karim El Amrani' });
    await form.locator('#title').fill('wethouder Digitalisering');
    await form.locator('#mandate').fill('Neemt het programma over.');
    await form.locator('#budget_amount').fill('1500000');
    await form.locator('#starts_on').fill(dmy(today));
  }, 'record an executive change');
  const renewed = tr('nl', 'commitment.renewed_commitment_needed');
  const facts = await text(page.locator('main .koers-facts'));
  if (!facts.includes(renewed)) throw new Error(`after the change: the programme does not say "${renewed}": "${facts}"`);
  const failing = await text(executiveCheck());
  if (!failing.includes(tr('nl', 'health.verdict.fail')) || !failing.includes('Hernieuwd commitment is nodig')) {
    throw new Error(`after the change: the health panel does not ask for renewed commitment: "${failing}"`);
  }
  await j.check(page, 'programme needing renewed commitment');
  await screenshot(page, 'programme-renewed-commitment-needed');

  // The new executive confirms it themselves.
  const executive = await j.newPage(await j.newContext(browser));
  await login(j, executive, email('executive'));
  await go(j, executive, programmePath);
  await submit(j, executive, () => executive.locator('main .utrecht-alert a[href$="/confirm"]').click(), 200, 'executive opens confirmation');
  await executive.locator('#note').fill('Ik sta achter dit programma.');
  await submit(j, executive, () => executive.locator('main form button[type=submit]').click(), 200, 'executive confirms');
  expectPath(executive, programmePath, 'executive confirms');
  await flash(executive, 'executive confirms');
  const passing = await text(executive.locator('main .koers-health__check').filter({ hasText: tr('nl', 'health.check.executive_confirmed') }));
  if (!passing.includes(tr('nl', 'health.verdict.pass'))) throw new Error(`after confirmation: the check does not pass: "${passing}"`);
  const confirmedFacts = await text(executive.locator('main .koers-facts'));
  if (!confirmedFacts.includes(tr('nl', 'commitment.confirmed'))) throw new Error(`after confirmation: "${confirmedFacts}"`);
  await j.check(executive, 'programme confirmed by the new executive');
  await screenshot(executive, 'programme-confirmed');
}


/** 10. A programme lead creates an experiment, adds a co-financing line,
 * takes it through two gates and stops it with what was learned. */
async function portfolioJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('programme_lead'));
  await go(j, page, '/initiatives/new');
  await j.check(page, 'new initiative form');
  const title = `Reisexperiment ${STAMP}`;
  const form = formByAction(page, '/initiatives');
  await form.locator('#kind').selectOption('experiment');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'initiative without a title');
  await expectFieldError(page, 'title', 'initiative without a title');
  const again = formByAction(page, '/initiatives');
  await again.locator('#title').fill(title);
  await again.locator('#learning_goals').fill('Gebruiken inwoners het?\nWerkt de techniek?');
  await again.locator('#technology_sensors_iot').check();
  await submit(j, page, () => again.locator('button[type=submit]').click(), 200, 'create initiative');
  const path = pathOf(page);
  if (!/^\/initiatives\/\d+$/.test(path)) throw new Error(`create initiative: ended on ${path}`);
  await flash(page, 'create initiative');

  const money = formByAction(page, `${path}/funding-lines`);
  await money.locator('#funding_source').selectOption('external_cofinancing');
  await money.locator('#funder').fill('Europese Unie');
  await money.locator('#scheme').fill('EFRO');
  await money.locator('#funding_status').selectOption('granted');
  await money.locator('#funding_amount').fill('125.000');
  await submit(j, page, () => money.locator('button[type=submit]').click(), 200, 'add co-financing');
  expectPath(page, path, 'add co-financing');
  const totals = await text(page.locator('main #money').locator('xpath=..'));
  if (!totals.includes('€ 125.000')) throw new Error(`after co-financing: the totals do not show € 125.000: "${totals.slice(0, 300)}"`);
  await j.check(page, 'initiative with co-financing');

  const gate = async (outcome, what, learning = '') => {
    const f = formByAction(page, `${path}/gate-decisions`);
    await f.locator('#outcome').selectOption(outcome);
    await f.locator('#evidence_0').fill('Twaalf inwoners geïnterviewd');
    await f.locator('#evidence_1').fill('Prototype werkt in de test');
    await f.locator('#criteria').fill('Doorgaan als 8 van 12 het willen gebruiken');
    await f.locator('#decided_by').fill('Programmamanager');
    if (learning) await f.locator('#learning').fill(learning);
    await submit(j, page, () => f.locator('button[type=submit]').click(), 200, what);
    expectPath(page, path, what);
  };
  await gate('continue', 'first gate');
  await gate('continue', 'second gate');
  const stage = await text(page.locator('main .koers-facts'));
  if (!stage.includes(tr('nl', 'stage.experiment'))) throw new Error(`after two gates: not in the experiment stage: "${stage}"`);

  // Stopping without a learning is refused beside the field.
  const stop = formByAction(page, `${path}/gate-decisions`);
  await stop.locator('#outcome').selectOption('stop');
  await stop.locator('#evidence_0').fill('Weinig gebruik');
  await stop.locator('#evidence_1').fill('Techniek werkt');
  await stop.locator('#criteria').fill('Stoppen onder 8 van 12');
  await stop.locator('#decided_by').fill('Stuurgroep');
  await submit(j, page, () => stop.locator('button[type=submit]').click(), 400, 'stop without a learning');
  await expectFieldError(page, 'learning', 'stop without a learning');
  await j.check(page, 'gate form with an error');
  await gate('stop', 'stop with a learning', 'Inwoners willen liever een melding dan een app; dat nemen we mee.');
  const stopped = await text(page.locator('main .koers-facts'));
  if (!stopped.includes(tr('nl', 'stage.stopped'))) throw new Error(`after stopping: "${stopped}"`);
  const timeline = await text(page.locator('main #timeline').locator('xpath=..'));
  if (!timeline.includes('Inwoners willen liever een melding')) throw new Error('the timeline does not show what was learned');
  await j.check(page, 'stopped initiative with its learning');
  await screenshot(page, 'initiative-stopped');
}

/** 11. An employee assesses themself; HR sees the heatmap change. */
async function skillsJourney(j, browser) {
  const hr = await j.newPage(await j.newContext(browser));
  await login(j, hr, email('hr'));
  await go(j, hr, '/skills/heatmap');
  await j.check(hr, 'heatmap before');
  const cell = () => hr.locator('#heatmap tr', { has: hr.locator('th', { hasText: /^\s*Klantcontactcentrum\s*$/ }) }).locator('td').first();
  const before = await cell().getAttribute('title');
  if (!before || !/\d+/.test(before)) throw new Error(`heatmap: no people count on the Klantcontactcentrum cell (title=${before})`);

  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('employee'));
  await go(j, page, '/skills/me');
  await j.check(page, 'my skills');
  const form = page.locator('form#assessment-form');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'assessment without any level');
  const summary = page.locator('main [role="alert"]');
  if ((await summary.count()) === 0) throw new Error('assessment without any level: no error summary');
  await j.check(page, 'assessment form with an error');
  const selects = page.locator('form#assessment-form table').first().locator('select');
  const count = await selects.count();
  if (count === 0) throw new Error('my skills: no competence needed for the role');
  for (let i = 0; i < count; i += 1) await selects.nth(i).selectOption('1');
  await page.locator('form#assessment-form input[id^="evidence-"]').first().fill('Zelf ingeschat na de e-learning');
  await submit(j, page, () => page.locator('form#assessment-form button[type=submit]').click(), 200, 'save self-assessment');
  expectPath(page, '/skills/me', 'save self-assessment');
  await flash(page, 'save self-assessment');
  const history = await text(page.locator('main #history-heading').locator('xpath=..'));
  if (!history.includes('Zelf ingeschat na de e-learning')) throw new Error('the history does not show the evidence');
  await j.check(page, 'my skills after assessing');

  await go(j, hr, '/skills/heatmap');
  const after = await cell().getAttribute('title');
  const n = (t) => Number.parseInt((t ?? '').match(/\d+/)?.[0] ?? 'NaN', 10);
  if (n(after) !== n(before) + 1) throw new Error(`heatmap: Klantcontactcentrum counted "${before}" before and "${after}" after, expected one more`);
  await j.check(hr, 'heatmap after');
  await screenshot(hr, 'skills-heatmap');
}

/** 12. HR imports employees (a refused file first), then plans a learning
 * action (an empty title first) and reads it against the rounds. */
async function workforceJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('hr'));
  const upload = async (csv, expected, what) => {
    await go(j, page, '/skills/employees/import');
    await j.check(page, `employee import page (${what})`);
    await page.locator('#file').setInputFiles({ name: 'medewerkers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await submit(j, page, () => formByAction(page, '/skills/employees/import').locator('button[type=submit]').click(), expected, what);
  };
  const header = 'Personeelsnummer;Naam;Eenheid;Functieprofiel;Actief';
  const number = `R${STAMP}`;
  await upload([header, `${number};Reis Collega;Nergenshuizen;Klantcontactmedewerker;ja`, ''].join('\n'), 400, 'import an unknown unit');
  const problems = await text(page.locator('main [role="alert"] table tbody'));
  if (!problems.includes('2') || !problems.includes(tr('nl', 'skills.import_column.unit'))) {
    throw new Error(`employee import: the problem table does not name row 2, column eenheid: "${problems}"`);
  }
  await j.check(page, 'employee import refused');
  await upload([header, `${number};Reis Collega;Klantcontactcentrum;Klantcontactmedewerker;ja`, ''].join('\n'), 200, 'import one employee');
  const summary = await text(page.locator('main p').filter({ hasText: 'medewerkers.csv' }));
  if (!summary.includes('1 nieuwe medewerker')) throw new Error(`employee import preview: "${summary}" does not announce one new employee`);
  await j.check(page, 'employee import preview');
  await submit(j, page, () => page.locator('main form.koers-actions button[type=submit]').click(), 200, 'confirm employee import');
  expectPath(page, '/skills/employees', 'confirm employee import');
  await flash(page, 'confirm employee import');

  await go(j, page, '/skills/actions');
  await j.check(page, 'learning actions');
  const form = formByAction(page, '/skills/actions');
  await form.locator('#kind').selectOption('coaching');
  await form.locator('#competence_id').selectOption({ index: 1 });
  await form.locator('#planned_on').fill('2027-03-01');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'plan without a title');
  await expectFieldError(page, 'title', 'plan without a title');
  await j.check(page, 'learning action form with an error');
  await formByAction(page, '/skills/actions').locator('#title').fill('Coaching op de werkvloer (reis)');
  await submit(j, page, () => formByAction(page, '/skills/actions').locator('button[type=submit]').click(), 200, 'plan a learning action');
  if (!/^\/skills\/actions\/\d+$/.test(pathOf(page))) throw new Error(`plan a learning action: ended on ${pathOf(page)}`);
  await flash(page, 'plan a learning action');
  const rounds = await text(page.locator('main table').first());
  if (!rounds.includes('Nulmeting')) throw new Error(`learning action page: the rounds table lacks the Nulmeting: "${rounds.slice(0, 200)}"`);
  await j.check(page, 'learning action page');
  await go(j, page, '/skills/actions');
  const list = await text(page.locator('main table').first());
  if (!list.includes('Coaching op de werkvloer (reis)')) throw new Error('learning actions: the new action is not listed');
  await screenshot(page, 'learning-actions');
}

/** 13. HR plans a wave of the pulse survey, hands out links, an employee
 * answers through one in a fresh browser, and the response rate moves. */
async function surveyJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser, { acceptDownloads: true }));
  await login(j, page, email('hr'));
  await go(j, page, '/surveys');
  await j.check(page, 'surveys');
  await go(j, page, '/surveys/waves');
  await j.check(page, 'waves');
  const form = formByAction(page, '/surveys/waves');
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);
  await form.locator('#opens_on').fill(today);
  await form.locator('#closes_on').fill(later);
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'plan a wave without a name');
  await expectFieldError(page, 'name', 'plan a wave without a name');
  await j.check(page, 'wave form with an error');
  await formByAction(page, '/surveys/waves').locator('#name').fill(`Pulspeiling (reis ${STAMP})`);
  await submit(j, page, () => formByAction(page, '/surveys/waves').locator('button[type=submit]').click(), 200, 'plan a wave');
  const wavePath = pathOf(page);
  if (!/^\/surveys\/waves\/\d+$/.test(wavePath)) throw new Error(`plan a wave: ended on ${wavePath}`);
  await flash(page, 'plan a wave');
  await j.check(page, 'wave page before invitations');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    formByAction(page, `${wavePath}/invitations`).locator('button[type=submit]').click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split('\n').slice(1);
  if (lines.length < 5) throw new Error(`invitations: only ${lines.length} links in the CSV`);
  const link = new URL(lines[0].split(';').pop());

  const respondent = await j.newPage(await j.newContext(browser));
  await go(j, respondent, link.pathname);
  await j.check(respondent, 'survey by invitation link');
  await screenshot(respondent, 'survey-answer');
  const privacy = await text(respondent.locator('main #privacy-heading').locator('xpath=..'));
  if (!privacy.includes(tr('nl', 'respond.not_kept'))) throw new Error('the survey page does not say what is not kept');
  await respondent.locator('main fieldset').first().locator('input[value="4"]').check();
  await respondent.locator('main fieldset').nth(1).locator('input[value="2"]').check();
  await submit(j, respondent, () => respondent.locator('form#answers button[type=submit]').click(), 200, 'send answers');
  expectPath(respondent, '/s/thanks', 'send answers');
  await j.check(respondent, 'thanks page');
  await go(j, respondent, link.pathname, 409);

  await go(j, page, wavePath);
  const rate = await text(page.locator('#response-rate'));
  if (!rate.startsWith('1 /')) throw new Error(`wave page: the response rate reads "${rate}", expected one answer`);
  // One answer is below the threshold: every result cell stays hidden.
  const cells = await page.locator('#results tbody td').allInnerTexts();
  if (cells.length === 0) throw new Error('wave page: no results table after one answer');
  if (cells.some((c) => /\d/.test(c))) throw new Error(`wave page: a result shows after one answer: ${cells.join(' | ')}`);
  await j.check(page, 'wave page after one answer');
}

/** 14. The programme lead reads what the surveys say, follows a weak
 * barrier to an intervention, plans it, and finds it on the insights page. */
async function interventionJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('programme_lead'));
  await go(j, page, '/surveys/insights');
  await j.check(page, 'survey insights');
  await screenshot(page, 'survey-insights');
  const disagreements = await text(page.locator('#disagreements'));
  if (!disagreements.includes('F3')) throw new Error(`insights: no F3 among the disagreements: "${disagreements.slice(0, 200)}"`);
  const weak = page.locator('#weak a').first();
  if (await weak.count() === 0) throw new Error('insights: no intervention offered for a weak point');
  await weak.click();
  await page.waitForLoadState();
  if (!/^\/surveys\/interventions\/\d+$/.test(pathOf(page))) throw new Error(`weak point link: ended on ${pathOf(page)}`);
  await j.check(page, 'intervention page');
  const title = (await text(page.locator('main h1'))).trim();
  await submit(j, page, () => page.locator('#plan-heading').locator('xpath=..').locator('button[type=submit]').click(), 200, 'plan an intervention');
  if (!/^\/initiatives\/\d+$/.test(pathOf(page))) throw new Error(`plan an intervention: ended on ${pathOf(page)}`);
  await flash(page, 'plan an intervention');
  await go(j, page, '/surveys/insights');
  const movements = await text(page.locator('#movements'));
  if (!movements.includes(title)) throw new Error(`insights: the planned "${title}" is not among the interventions`);
  await go(j, page, '/surveys/interventions');
  await j.check(page, 'intervention catalogue');
}

/** 15. An employee posts an idea without their name; a colleague finds
 * it, sees no name, and supports it; the programme lead accepts it and
 * makes it an experiment; the author's idea page links to it. */
async function ideaJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('employee'));
  await go(j, page, '/ideas');
  await j.check(page, 'ideas');
  const unread = async () => {
    const badge = page.locator('#notifications-link .koers-count');
    return (await badge.count()) === 0 ? 0 : parseInt((await text(badge)).trim(), 10);
  };
  const unreadBefore = await unread();
  const title = `Statusberichten bij elke stap (reis ${STAMP})`;
  const form = formByAction(page, '/ideas');
  await form.locator('#title').fill(title);
  await form.locator('#problem').fill('Inwoners bellen drie keer om te vragen hoe het met hun aanvraag staat.');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'post an idea without a proposal');
  await expectFieldError(page, 'proposal', 'post an idea without a proposal');
  await j.check(page, 'idea form with an error');
  await formByAction(page, '/ideas').locator('#proposal').fill('Stuur bij elke stap automatisch een bericht.');
  await formByAction(page, '/ideas').locator('#hide_author').check();
  await submit(j, page, () => formByAction(page, '/ideas').locator('button[type=submit]').click(), 200, 'post an idea');
  const ideaPath = pathOf(page);
  if (!/^\/ideas\/\d+$/.test(ideaPath)) throw new Error(`post an idea: ended on ${ideaPath}`);
  await flash(page, 'post an idea');
  await j.check(page, 'own idea');

  const colleague = await j.newPage(await j.newContext(browser));
  await login(j, colleague, email('hr'));
  await go(j, colleague, `/ideas?search=${encodeURIComponent(STAMP)}`);
  await colleague.locator('#ideas a', { hasText: title }).click();
  await colleague.waitForLoadState();
  expectPath(colleague, ideaPath, 'open the idea from the list');
  const author = await text(colleague.locator('#idea-author'));
  if (!author.includes(tr('nl', 'ideas.name_hidden'))) throw new Error(`the colleague sees the author as "${author}"`);
  await j.check(colleague, 'idea as a colleague');
  await submit(j, colleague, () => colleague.locator('#support-button').click(), 200, 'support the idea');
  const supports = (await text(colleague.locator('#idea-supports'))).trim();
  if (supports !== '1') throw new Error(`after supporting, the idea shows ${supports} supports`);
  await j.check(colleague, 'idea after support');
  await screenshot(colleague, 'idea');
  await colleague.locator('#body').fill('Goed idee: bij Burgerzaken speelt hetzelfde.');
  await submit(j, colleague, () => colleague.locator('#comment-button').click(), 200, 'comment on the idea');
  await flash(colleague, 'comment on the idea');
  const comments = await text(colleague.locator('#comments'));
  if (!comments.includes('Burgerzaken speelt hetzelfde')) throw new Error('the comment does not show on the idea page');
  await j.check(colleague, 'idea with a comment');

  const lead = await j.newPage(await j.newContext(browser));
  await login(j, lead, email('programme_lead'));
  await go(j, lead, ideaPath);
  await j.check(lead, 'idea with the review form');
  await lead.locator('#state').selectOption('accepted');
  await submit(j, lead, () => lead.locator('#triage-heading').locator('xpath=..').locator('button[type=submit]').click(), 200, 'accept the idea');
  await flash(lead, 'accept the idea');
  await submit(j, lead, () => lead.locator('#promote-button').click(), 200, 'promote the idea');
  if (!/^\/initiatives\/\d+$/.test(pathOf(lead))) throw new Error(`promote the idea: ended on ${pathOf(lead)}`);
  const initiativePath = pathOf(lead);
  await j.check(lead, 'initiative from an idea');
  // The author was told: a comment, the acceptance, the promotion.
  await go(j, page, '/notifications');
  const count = await unread();
  if (count !== unreadBefore + 3) throw new Error(`the header counts ${count} unread notifications, expected ${unreadBefore} + 3`);
  const news = await text(page.locator('#notifications'));
  if (!news.includes(title)) throw new Error('the notifications do not name the idea');
  await j.check(page, 'notifications');
  await page.locator('#notifications a').first().click();
  await page.waitForLoadState();
  expectPath(page, ideaPath, 'open the idea from a notification');
  if ((await unread()) !== unreadBefore) throw new Error('reading the idea left its notifications unread');
  const href = await page.locator('#idea-initiative').getAttribute('href');
  if (href !== initiativePath) throw new Error(`the author's idea page links to ${href}, expected ${initiativePath}`);
  if (await page.locator('#became-heading').count() !== 1) throw new Error('the idea page does not say what became of it');
  await j.check(page, 'idea that became an experiment');
}

/** 16. The programme lead raises a service's maturity level and sees the
 * distribution over the levels change. */
async function serviceJourney(j, browser) {
  const page = await j.newPage(await j.newContext(browser));
  await login(j, page, email('programme_lead'));
  await go(j, page, '/services');
  await j.check(page, 'service catalogue');
  const count = async (level) => Number((await text(page.locator(`#level-${level}-count`))).trim());
  const before2 = await count(2);
  const before3 = await count(3);
  await go(j, page, '/services?maturity=2');
  await page.locator('#services a').first().click();
  await page.waitForLoadState();
  const servicePath = pathOf(page);
  if (!/^\/services\/\d+$/.test(servicePath)) throw new Error(`open a level-2 service: ended on ${servicePath}`);
  await j.check(page, 'service');
  const form = formByAction(page, servicePath);
  // No digital channel at level 3 is refused beside the channels.
  for (const box of await form.locator('#channels input[type=checkbox]').all()) await box.uncheck();
  await form.locator('#maturity_3').check();
  await submit(j, page, () => form.locator('#save-service').click(), 400, 'raise without a digital channel');
  const channelError = page.locator('#channels-error');
  if (!(await channelError.isVisible()) || !(await text(channelError))) throw new Error('raise without a digital channel: no message beside the channels');
  if ((await page.locator('#channel_online').getAttribute('aria-invalid')) !== 'true') throw new Error('raise without a digital channel: the channel boxes are not marked invalid');
  await j.check(page, 'service form with an error');
  const again = formByAction(page, servicePath);
  await again.locator('#channel_online').check();
  await again.locator('#maturity_3').check();
  await submit(j, page, () => again.locator('#save-service').click(), 200, 'raise the maturity level');
  await flash(page, 'raise the maturity level');
  const level = await text(page.locator('#service-level'));
  if (!level.startsWith('3')) throw new Error(`the service shows level "${level}" after raising it to 3`);
  await go(j, page, '/services');
  const after2 = await count(2);
  const after3 = await count(3);
  if (after2 !== before2 - 1 || after3 !== before3 + 1) {
    throw new Error(`distribution: level 2 ${before2} → ${after2}, level 3 ${before3} → ${after3}`);
  }
  await go(j, page, '/services/scale');
  await j.check(page, 'maturity scale');
}

/** 17. The accountable executive makes the board report for a quarter
 * (after a period that has not begun yet is refused beside the field),
 * reads it, and downloads the PDF. */
async function boardReportJourney(j, browser) {
  const context = await j.newContext(browser, { acceptDownloads: true });
  const page = await j.newPage(context);
  await login(j, page, email('executive'));
  await go(j, page, '/reports');
  await j.check(page, 'board reports');
  const form = formByAction(page, '/reports');
  await form.locator('#period').fill('2099-Q1');
  await submit(j, page, () => form.locator('button[type=submit]').click(), 400, 'a period not yet begun');
  await expectFieldError(page, 'period', 'a period not yet begun');
  await j.check(page, 'board report form with an error');
  const again = formByAction(page, '/reports');
  await again.locator('#period').fill('2026-Q3');
  await again.locator('#language').selectOption('nl');
  await submit(j, page, () => again.locator('button[type=submit]').click(), 200, 'make the report');
  await flash(page, 'make the report');
  const reportPath = pathOf(page);
  if (!/^\/reports\/\d+$/.test(reportPath)) throw new Error(`make the report: ended on ${reportPath}`);
  for (const id of ['report-summary', 'report-governance', 'report-ambitions', 'report-warnings']) {
    if ((await page.locator(`#${id}`).count()) !== 1) throw new Error(`the report has no #${id}`);
  }
  if ((await page.locator('.koers-report-chart svg').count()) === 0) throw new Error('the report shows no chart');
  await j.check(page, 'board report');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`a[href="${reportPath}/report.pdf"]`).first().click(),
  ]);
  const file = await download.path();
  const bytes = (await import('node:fs')).readFileSync(file);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('the download is not a PDF');
  if (!download.suggestedFilename().endsWith('.pdf')) throw new Error(`download named ${download.suggestedFilename()}`);
}

const JOURNEYS = [
  [1, 'admin adds and renames a unit', unitJourney],
  [2, 'admin invites a person, who accepts and logs in', invitationJourney],
  [3, 'admin creates and revokes an API token', tokenJourney],
  [4, 'keyboard: skip link and login', keyboardJourney],
  [5, 'employee switches language en and back', languageJourney],
  [6, 'phone viewport: login and start page', phoneJourney],
  [7, 'login throttled after five wrong passwords', throttleJourney],
  [8, 'define an indicator, upload a Dutch CSV, see chart and status', indicatorImportJourney],
  [9, 'record an executive change, see renewed commitment needed, confirm it', executiveChangeJourney],
  [10, 'create an experiment, add co-financing, two gates, stop with a learning', portfolioJourney],
  [11, 'employee assesses themself; HR sees the heatmap change', skillsJourney],
  [12, 'HR imports employees and plans a learning action', workforceJourney],
  [13, 'HR plans a survey wave; an employee answers by link; the response rate moves', surveyJourney],
  [14, 'the programme lead plans an intervention on a weak barrier and sees it on the insights page', interventionJourney],
  [15, 'an employee posts an idea without their name; a colleague supports and comments; the programme lead accepts and promotes it; the author is notified and sees the initiative', ideaJourney],
  [16, 'the programme lead raises a service maturity level and sees the distribution change', serviceJourney],
  [17, 'the executive makes the board report for a quarter and downloads the PDF', boardReportJourney],
  [18, 'the viewer sets up two-step login, logs in with a code and turns it off', secondFactorJourney],
];

async function main() {
  const started = Date.now();
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    for (const [number, title, run] of JOURNEYS) {
      if (only.length > 0 && !only.includes(String(number))) continue;
      const j = new Journey(number, title);
      const t0 = Date.now();
      let fatal = null;
      try {
        await run(j, browser);
      } catch (err) {
        fatal = String(err && err.message ? err.message : err).split('\n')[0];
      }
      // Late console messages still count.
      await new Promise((r) => setTimeout(r, 200));
      j.flushEvents('end of journey');
      await j.close();
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const reasons = fatal ? [fatal, ...j.problems] : j.problems;
      if (reasons.length === 0) {
        passed += 1;
        console.log(`PASS ${number}. ${title} (${j.states} states checked with axe, ${secs}s)`);
      } else {
        failed += 1;
        const first = reasons[0].split('\n')[0];
        console.log(`FAIL ${number}. ${title}: ${first} (${j.states} states checked, ${secs}s)`);
        for (const r of reasons) console.log(`       ${r.split('\n').join('\n       ')}`);
      }
      for (const n of j.notes) console.log(`       note: ${n}`);
    }
  } finally {
    await browser.close();
  }
  console.log(`journeys took ${Math.round((Date.now() - started) / 1000)}s`);
  console.log(`journeys: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
