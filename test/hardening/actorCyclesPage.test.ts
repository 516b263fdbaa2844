/**
 * Issue 13, finding 10, on the page itself (Debian's chromium, driven by
 * playwright-core): a loaded recording whose actors' parents form a cycle
 * shows every one of them, the cycle's first as a root with a marker.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorEntry } from './fixtures/actorEntry.ts';
import { createLocalInspector } from 'concord-state/inspect';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const actor = actorEntry;

describe('the inspector page', () => {
  it('shows actors whose parents form a cycle, marked, beside the others', { timeout: 60_000 }, async () => {
    const local = await createLocalInspector();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(local.url);
      const entries = [actor(0, 'app', null), actor(1, 'a', 'b'), actor(2, 'b', 'a'), actor(3, 'self', 'self')];
      await page.getByTestId('load-input').setInputFiles({
        name: 'cycle.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries })),
      });
      await page.locator('[data-testid="source"]', { hasText: 'cycle.json' }).waitFor();
      const rows = page.getByTestId('actor');
      await expect.poll(() => rows.count()).toBe(4);
      const shown = await Promise.all((await rows.all()).map(async (row) => [await row.getAttribute('data-session-id'), await row.getAttribute('data-cycle')]));
      expect(shown).toEqual([
        ['app', null],
        ['a', ''],
        ['b', null],
        ['self', ''],
      ]);
      expect(await page.locator('[data-testid="actor"][data-cycle] .badge-cycle').allTextContents()).toEqual(['parent cycle', 'parent cycle']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await local.close();
    }
  });
});
