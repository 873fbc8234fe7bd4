// Sur un téléphone (390 × 844), aucune vue ne défile de côté : les tableaux
// larges défilent dans leur propre cadre, que le clavier peut atteindre.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBench } from './harness.mjs';

const bench = useBench();

test('à 390 px, aucune vue ne défile de côté, et chaque tableau large défile dans un cadre atteignable au clavier', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR', { viewport: { width: 390, height: 844 } });
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  // Chaque vue, avec ce qui la rend la plus large une fois chargée.
  for (const [view, ready] of [
    ['import', null],
    ['overview', 'kpi-customers'],
    ['segmentation', 'segment-table'],
    ['recommendations', 'quality-table'],
    ['privacy', 'privacy-stored'],
  ]) {
    await page.goto(`${bench.served.url}#/${view}`);
    if (ready) await page.getByTestId(ready).waitFor({ timeout: 60_000 });
    const { scroll, width, frames } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
      frames: [...document.querySelectorAll('.table-scroll')].map((frame) => frame.tabIndex),
    }));
    assert.ok(scroll <= width, `${view} : la page défile de côté (${scroll} px pour ${width})`);
    assert.ok(frames.every((tabIndex) => tabIndex === 0), `${view} : un cadre de tableau hors du clavier`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
