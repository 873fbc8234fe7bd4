// Des mots pour le marketing : hors des sections « Méthode / Method », aucune
// vue ne parle de pandas, de mlxtend, de la référence, d'itemsets ni de
// millisecondes — en français comme en anglais. Chaque vue est aussi
// photographiée dans les deux langues, sur grand écran (1400 × 1000) et sur
// téléphone (390 × 844) : e2e/artifacts/views/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useBench, ROOT } from './harness.mjs';

const bench = useBench();
const VIEWS = join(ROOT, 'e2e', 'artifacts', 'views');
// `\bms\b` : l'unité (« 12 ms »), pas la fin d'un mot (« items »).
const ENGINEER_WORDS = /pandas|mlxtend|référence|reference|itemset|\bms\b/i;

for (const [locale, tag] of [['fr-FR', 'fr'], ['en-US', 'en']]) {
  test(`${tag} : aucun mot d'ingénieur hors des sections Méthode, chaque vue photographiée`, async () => {
    mkdirSync(VIEWS, { recursive: true });
    const { context, page, errors } = await bench.newPage(locale, { viewport: { width: 1400, height: 1000 } });
    await page.goto(bench.served.url);
    await page.getByTestId('demo-button').click();
    await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
    const views = [
      ['import', null],
      ['overview', 'kpi-customers'],
      ['segmentation', 'segment-table'],
      ['recommendations', 'top-rule'],
      ['recommendations/product', 'product-search'],
      ['recommendations/customer', 'customer-id'],
      ['recommendations/segment', 'recommend-segment'],
      ['recommendations/quality', 'quality-table'],
      ['privacy', 'privacy-stored'],
    ];
    for (const [view, ready] of views) {
      await page.evaluate((hash) => { window.location.hash = hash; }, `#/${view}`);
      if (ready) await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
      // Les règles arrivent après les dix meilleures : la vue photographiée
      // et relue les montre.
      if (view === 'recommendations') await page.locator('[data-testid=rules-table] td.rule').first().waitFor({ timeout: 60_000 });
      // Le texte visible de la page, sections « Méthode » retirées.
      const text = await page.evaluate(() => {
        const copy = document.body.cloneNode(true);
        copy.querySelectorAll('details.method, script, style, noscript').forEach((node) => node.remove());
        return copy.innerText ?? copy.textContent;
      });
      const found = text.split('\n').filter((line) => ENGINEER_WORDS.test(line));
      assert.deepEqual(found, [], `${tag} ${view} : mots d'ingénieur hors de « Méthode »`);
      // Chaque vue d'analyse a sa section « Méthode », repliée.
      if (['overview', 'segmentation'].includes(view) || view.startsWith('recommendations')) {
        const method = page.locator('details.method').first();
        assert.equal(await method.getAttribute('open'), null, `${view} : « Méthode » repliée`);
        assert.match(await method.locator('summary').textContent(), tag === 'fr' ? /Méthode/ : /Method/);
      }
      await page.screenshot({ path: join(VIEWS, `${view.replace('/', '-')}-${tag}-1400.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(VIEWS, `${view.replace('/', '-')}-${tag}-390.png`), fullPage: true });
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
