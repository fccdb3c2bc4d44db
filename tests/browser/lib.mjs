// Helpers shared by the browser suite (suite.mjs) and the journeys
// (journeys.mjs): the base URL, the browser, and axe-core.
//
// Environment:
//   KOERS_BASE_URL        server to test (required)
//   KOERS_CHROMIUM        browser binary (default /usr/bin/chromium)
//   KOERS_AXE_TAGS        axe tags (default wcag2a,wcag2aa,wcag21a,wcag21aa)

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import process from 'node:process';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
// axe-core is injected through the DevTools protocol, which a page's
// Content-Security-Policy does not block, so the CSP stays on during the test.
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'demo-koers-2026';
export const EMAIL_DOMAIN = 'voorbeeldstad.example';
export const NAV_TIMEOUT_MS = 30_000;
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export const axeTags = (process.env.KOERS_AXE_TAGS ?? 'wcag2a,wcag2aa,wcag21a,wcag21aa').split(',');

/** KOERS_BASE_URL, or exit 2 with a hint when it is not set. */
export function requireBaseURL() {
  const baseURL = process.env.KOERS_BASE_URL;
  if (!baseURL) {
    console.error('KOERS_BASE_URL is not set; run scripts/browser-suite.sh or set it to a running server.');
    process.exit(2);
  }
  return baseURL;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.KOERS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export function shortHtml(html) {
  const s = html.replace(/\s+/g, ' ').trim();
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** Run axe-core (the configured tags) on the page; returns axe's results. */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    axeTags,
  );
}

/** One text per violation: "rule (impact): help" and up to ten offending nodes. */
export function describeViolations(results) {
  return results.violations.map((v) => {
    const nodes = v.nodes.slice(0, 10).map((n) => {
      const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
      return `    - ${target}  ${shortHtml(n.html)}`;
    });
    if (v.nodes.length > 10) nodes.push(`    ... and ${v.nodes.length - 10} more`);
    return `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${nodes.join('\n')}`;
  });
}
