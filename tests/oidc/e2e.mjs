// End-to-end single sign-on against a real OpenID provider: the certified
// `oidc-provider` package runs here, behind a small proxy that can tamper
// with its answers. Chromium (Playwright) goes through the whole thing as
// a person would:
//
//   1. the demo administrator sets up single sign-on on /admin/sso and
//      tests the connection;
//   2. a new person logs in through the provider: Koers creates them just
//      in time, with the role their groups map to (hr);
//   3. logging out ends the Koers session and the provider's session
//      (RP-initiated logout) and lands on Koers's login page;
//   4. an ID token changed on its way (signature no longer matches) is
//      refused, and so is an ID token with another nonce than Koers sent.
//
// Environment: KOERS_BASE_URL (a demo server started with KOERS_SECRET_KEY
// set; scripts/oidc-suite.sh does this), KOERS_CHROMIUM.

import http from 'node:http';
import process from 'node:process';
import Provider from 'oidc-provider';
import { PASSWORD, EMAIL_DOMAIN, NAV_TIMEOUT_MS, launchBrowser, requireBaseURL, runAxe, describeViolations } from '../browser/lib.mjs';

const KOERS = requireBaseURL();
const CLIENT_ID = 'koers-e2e';
const CLIENT_SECRET = `e2e-${Math.random().toString(36).slice(2)}`;

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// The proxy's port is the issuer's: Koers only ever talks to the proxy.
const proxy = http.createServer();
const proxyPort = await listen(proxy);
const ISSUER = `http://127.0.0.1:${proxyPort}`;

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [`${KOERS}/login/sso/callback`],
    post_logout_redirect_uris: [`${KOERS}/login`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // Whoever logs in at the provider's development login page is `login`;
  // a login starting with "hr-" is in the HR group.
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@e2e.example`,
          email_verified: true,
          name: `E2E ${id}`,
          groups: id.startsWith('hr-') ? ['koers-hr', 'staff'] : ['staff'],
        };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  // Put the scopes' claims in the ID token (Koers reads them there).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['koers-e2e-cookie-key'] },
});
const providerServer = http.createServer(provider.callback());
const providerPort = await listen(providerServer);

// What the proxy does to the next answers: 'pass', 'tamper' (change the
// ID token's subject, keep its signature) or 'nonce' (ask the provider for
// another nonce than Koers sent).
let mode = 'pass';
proxy.on('request', (req, res) => {
  const url = new URL(req.url, ISSUER);
  if (mode === 'nonce' && url.pathname === '/auth' && url.searchParams.has('nonce')) {
    url.searchParams.set('nonce', 'a-nonce-koers-never-sent');
  }
  const upstream = http.request({
    host: '127.0.0.1', port: providerPort, method: req.method,
    path: url.pathname + url.search, headers: req.headers,
  }, (answer) => {
    if (mode === 'tamper' && url.pathname === '/token' && answer.statusCode === 200) {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const [head, payload, signature] = body.id_token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        claims.sub = 'someone-else';
        claims.groups = ['koers-admins'];
        body.id_token = [head, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
        const text = JSON.stringify(body);
        const headers = { ...answer.headers, 'content-length': Buffer.byteLength(text) };
        res.writeHead(answer.statusCode, headers);
        res.end(text);
      });
      return;
    }
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  req.pipe(upstream);
});

const failures = [];
function check(condition, message) {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`);
  if (!condition) failures.push(message);
}

async function axe(page, label) {
  const results = await runAxe(page);
  check(results.violations.length === 0, `axe finds nothing on ${label}${results.violations.length ? `: ${describeViolations(results)}` : ''}`);
}

async function me(page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/v1/me');
    return { status: r.status, body: r.status === 200 ? await r.json() : null };
  });
}

/** Clicks and waits for the navigation the click starts. */
async function clickThrough(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/**
 * Koers's "continuing to your organisation" page moves on by itself; wait
 * until the browser is at the provider, or (when the provider still knows
 * the person) already back at Koers.
 */
async function leftForProvider(page) {
  await page.waitForURL((url) => url.href.startsWith(ISSUER)
    || url.pathname === '/' || url.pathname === '/login/sso/callback');
}

/** From Koers's login page through the provider's login and consent. */
async function ssoLogin(page, login) {
  await page.goto(`${KOERS}/login`);
  await page.fill('#organisation', 'voorbeeldstad');
  await clickThrough(page, '#sso-login-form button[type=submit]');
  await leftForProvider(page);
  if (page.url().startsWith(ISSUER) && await page.locator('input[name=login]').count()) {
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'anything');
    await clickThrough(page, 'button[type=submit]');
  }
  if (page.url().startsWith(ISSUER) && await page.locator('input[name=prompt][value=consent]').count()) {
    await clickThrough(page, 'button[type=submit]');
  }
}

const browser = await launchBrowser();
let status = 0;
try {
  const context = await browser.newContext({ locale: 'nl-NL' });
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  const page = await context.newPage();
  if (process.env.KOERS_E2E_TRACE) {
    page.on('response', (r) => console.log('  ', r.status(), r.request().method(), r.url().slice(0, 140), r.headers().location ?? ''));
  }

  // 1. The administrator sets it up.
  await page.goto(`${KOERS}/login`);
  await page.fill('#email', `admin@${EMAIL_DOMAIN}`);
  await page.fill('#password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(`${KOERS}/`);
  await page.goto(`${KOERS}/admin/sso`);
  await axe(page, '/admin/sso (empty)');
  await page.selectOption('#preset', 'keycloak');
  await page.fill('#issuer', ISSUER);
  await page.click('#sso-test-button');
  await page.waitForSelector('#sso-test');
  const testText = await page.textContent('#sso-test');
  check(testText.includes(`${ISSUER}/token`) && testText.includes('/session/end'), 'test connection shows the token and logout endpoints');
  await axe(page, '/admin/sso (tested)');
  await page.fill('#client_id', CLIENT_ID);
  await page.fill('#client_secret', CLIENT_SECRET);
  await page.fill('#role_rules', 'koers-admins = admin\nkoers-hr = hr');
  await page.selectOption('#default_role', 'viewer');
  await page.check('#enabled');
  await page.click('#sso-form button.utrecht-button--primary-action');
  await page.waitForURL(`${KOERS}/admin/sso`);
  check((await page.content()).includes('opgeslagen'), 'the connection is saved');
  await clickThrough(page, 'form[action="/logout"] button');

  // 2. A new person logs in through the provider.
  await ssoLogin(page, 'hr-anna');
  check(page.url() === `${KOERS}/`, `back on Koers's start page after the provider (${page.url()})`);
  const anna = await me(page);
  check(anna.status === 200 && anna.body.email === 'hr-anna@e2e.example', 'the person exists just in time');
  check(anna.body?.role === 'hr', `their role comes from the koers-hr group (${anna.body?.role})`);

  // 3. Logging out ends both sessions.
  await clickThrough(page, 'form[action="/logout"] button');
  await leftForProvider(page);
  check(page.url().startsWith(`${ISSUER}/session/end`), `logout goes on to the provider (${page.url()})`);
  await page.click('button[name=logout][value=yes]');
  await page.waitForURL(/\/login/);
  check(page.url().startsWith(`${KOERS}/login`), 'the provider sends the browser back to the login page');
  check((await me(page)).status === 401, 'the Koers session has ended');
  // The provider's session ended too: the next login asks for a login again.
  await page.goto(`${KOERS}/login`);
  await page.fill('#organisation', 'voorbeeldstad');
  await clickThrough(page, '#sso-login-form button[type=submit]');
  await leftForProvider(page);
  check(await page.locator('input[name=login]').count() === 1, 'the provider asks who you are again');

  // 4. Tampered ID token, then a wrong nonce: both refused.
  for (const [how, words] of [['tamper', 'kon niet worden gecontroleerd'], ['nonce', 'hoort niet bij dit inloggen']]) {
    mode = how;
    await ssoLogin(page, 'hr-anna');
    mode = 'pass';
    const alert = await page.locator('[role=alert]').first().textContent().catch(() => '');
    check(page.url().startsWith(`${KOERS}/login/sso/callback`) && alert.includes(words), `${how}: refused with "${words}"`);
    check((await me(page)).status === 401, `${how}: nobody is logged in`);
    await axe(page, `login page after refusal (${how})`);
  }
  // The page that continues to the provider, held still (the provider's
  // addresses are cancelled in this browser) so axe can look at it.
  const still = await browser.newContext({ locale: 'nl-NL' });
  const stillPage = await still.newPage();
  await stillPage.route(`${ISSUER}/**`, (route) => route.abort('aborted'));
  await stillPage.goto(`${KOERS}/login/sso?organisation=voorbeeldstad`);
  await stillPage.waitForTimeout(500);
  check(await stillPage.locator('#continue-link').count() === 1, 'the page that continues to the provider offers a link');
  await axe(stillPage, 'the page that continues to the provider');
  await still.close();

  // Another person, in a browser of their own (no session at the provider).
  const second = await browser.newContext({ locale: 'nl-NL' });
  second.setDefaultTimeout(NAV_TIMEOUT_MS);
  const bobPage = await second.newPage();
  await ssoLogin(bobPage, 'medewerker-bob');
  const bob = await me(bobPage);
  check(bob.status === 200 && bob.body.role === 'viewer', `no matching group: the default role (${bob.body?.role})`);
} catch (error) {
  console.error(error);
  status = 1;
} finally {
  await browser.close();
  providerServer.close();
  proxy.close();
}
if (failures.length) {
  console.error(`oidc e2e: ${failures.length} check(s) failed`);
  status = 1;
}
process.exit(status);
