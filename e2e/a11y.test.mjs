// Accessibilité : axe-core (épinglé dans package-lock.json) ne trouve aucune
// violation sur chaque vue et chaque état que les tests atteignent — erreur
// de correspondance des colonnes, fiche client ouverte, suggestions de
// produits, tableaux — en thème clair comme en thème sombre.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBench } from './harness.mjs';

const bench = useBench();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Lance axe-core sur la page telle qu'elle est, et rend ses violations en
 * lignes lisibles (règle, gravité, éléments). `page.evaluate` n'est pas
 * soumis à la CSP de l'application : rien à lui ouvrir pour le test.
 */
async function violations(page) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`);
  });
  return found;
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe-core : aucune violation sur chaque vue et chaque état atteint (thème ${colorScheme === 'light' ? 'clair' : 'sombre'})`, async () => {
    const { context, page, errors } = await bench.newPage('fr-FR', { colorScheme });
    const report = [];
    const check = async (state) => {
      for (const line of await violations(page)) report.push(`${state} : ${line}`);
    };
    await page.goto(bench.served.url);
    await page.getByTestId('demo-button').waitFor();
    await check('import');

    // Colonnes introuvables : le panneau de correspondance est ouvert.
    const dir = mkdtempSync(join(tmpdir(), 'panier-a11y-'));
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Ref;Produit;Nb;Quand;PU;Acheteur\nF1;Tasse;2;25/12/2011 10:00;2,50;C1\n');
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId('mapping-panel').waitFor();
    await check('import, erreur de correspondance');

    await page.getByTestId('demo-button').click();
    await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
    await check('vue d’ensemble');

    await page.goto(`${bench.served.url}#/segmentation`);
    await page.getByTestId('segment-table').waitFor({ timeout: 60_000 });
    await check('segmentation');
    await page.getByTestId('customer-table').locator('tbody tr').first().click();
    await page.getByTestId('customer-sheet').waitFor();
    await check('segmentation, fiche client ouverte');

    await page.goto(`${bench.served.url}#/recommendations`);
    await page.getByTestId('top-rule').first().waitFor({ timeout: 60_000 });
    await check('recommandations, associations');
    await page.goto(`${bench.served.url}#/recommendations/quality`);
    await page.getByTestId('quality-table').waitFor({ timeout: 60_000 });
    await check('recommandations, qualité');
    await page.goto(`${bench.served.url}#/recommendations/customer`);
    await page.getByTestId('customer-id').waitFor();
    await check('recommandations, client');
    await page.goto(`${bench.served.url}#/recommendations/segment`);
    await page.getByTestId('recommend-segment').waitFor();
    await check('recommandations, segment');
    await page.goto(`${bench.served.url}#/recommendations/product`);
    await page.getByTestId('product-search').fill('a');
    await page.getByTestId('product-suggestions').getByRole('option').first().waitFor();
    await check('recommandations, suggestions de produits');

    await page.goto(`${bench.served.url}#/privacy`);
    await page.getByTestId('privacy-stored').waitFor();
    await check('confidentialité');

    assert.deepEqual(report, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
