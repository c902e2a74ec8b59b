/**
 * An automated accessibility check of the page a browser test has open: axe-core's WCAG 2.1 A and AA
 * rules. axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
 * not govern, so the check needs no exception in the policy the tests also verify.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Each rule the open page breaks, with up to three of the elements that break it; empty when none. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((result) => result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }))),
    WCAG_AA,
  );
  return violations.map(
    ({ id, impact, help, nodes }) => `${id} (${impact ?? 'unknown'}, ${nodes.length}×): ${help} — ${nodes.slice(0, 3).map(({ target }) => target.join(' ')).join(' | ')}`,
  );
}
