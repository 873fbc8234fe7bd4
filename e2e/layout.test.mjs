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
    ['recommendations', 'top-rule'],
    ['recommendations/product', 'product-search'],
    ['recommendations/customer', 'customer-id'],
    ['recommendations/segment', 'recommend-segment'],
    ['recommendations/quality', 'quality-table'],
    ['privacy', 'privacy-stored'],
  ]) {
    await page.goto(`${bench.served.url}#/${view}`);
    if (ready) await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
    const { scroll, width, frames } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
      frames: [...document.querySelectorAll('.table-scroll')].map((frame) => frame.tabIndex),
    }));
    assert.ok(scroll <= width, `${view} : la page défile de côté (${scroll} px pour ${width})`);
    assert.ok(frames.every((tabIndex) => tabIndex === 0), `${view} : un cadre de tableau hors du clavier`);
    // L'en-tête tient en deux lignes ; la vue active se voit dans la barre
    // des vues (une ligne qui défile).
    await page.waitForFunction(() => {
      const nav = document.querySelector('.nav').getBoundingClientRect();
      const active = document.querySelector('.nav a.active')?.getBoundingClientRect();
      return active && active.left >= nav.left - 1 && active.right <= nav.right + 1;
    });
    const header = await page.locator('header.header').boundingBox();
    assert.ok(header.height <= 120, `${view} : en-tête de ${header.height} px`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

/** Ce qui a le focus : balise, texte, `data-testid`. */
const focused = (page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return { tag: element?.tagName.toLowerCase(), text: element?.textContent.trim(), testid: element?.dataset?.testid ?? null };
  });

test('le clavier : lien d’évitement, focus au titre de chaque vue, fiche client (Échap), combobox des produits, aria-sort', async () => {
  const { context, page, errors } = await bench.newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').waitFor();
  const start = page.url();
  // Premier arrêt de Tab : le lien d'évitement, qui mène au titre de la vue
  // sans changer de vue.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).testid, 'skip-link');
  await page.keyboard.press('Enter');
  assert.deepEqual(await focused(page), { tag: 'h1', text: 'Import transactions', testid: null });
  assert.equal(page.url(), start);

  // Chaque changement de vue met le focus sur son titre.
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  for (const view of ['segmentation', 'privacy', 'recommendations', 'overview']) {
    await page.locator(`nav a[data-view="${view}"]`).click();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 5_000 });
    assert.equal((await focused(page)).text, await page.locator('main h1').first().textContent(), view);
  }

  // La fiche client : ouverte au clavier depuis la liste, le focus va à son
  // titre ; Échap la ferme et rend le focus au client de la liste.
  await page.locator('nav a[data-view="segmentation"]').click();
  const firstCustomer = page.getByTestId('customer-table').locator('tbody tr th button').first();
  const id = (await firstCustomer.textContent()).trim();
  await firstCustomer.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('sheet-products').waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('.customer-sheet') !== null);
  assert.equal((await focused(page)).tag, 'h2');
  await page.keyboard.press('Escape');
  await page.getByTestId('customer-sheet').waitFor({ state: 'detached' });
  assert.equal((await focused(page)).text, id);

  // La recherche de produit est une combobox : ↓ parcourt, Entrée choisit.
  await page.locator('nav a[data-view="recommendations"]').click();
  // Chaque partie des recommandations a son onglet : le focus va à son titre.
  await page.getByTestId('tab-product').click();
  await page.waitForFunction(() => document.activeElement?.dataset?.testid === 'tab-title');
  assert.equal(page.url().split('#')[1], '/recommendations/product');
  const search = page.getByTestId('product-search');
  await search.fill('a');
  const listbox = page.getByRole('listbox');
  await listbox.getByRole('option').first().waitFor();
  assert.equal(await search.getAttribute('role'), 'combobox');
  assert.equal(await search.getAttribute('aria-expanded'), 'true');
  await search.press('ArrowDown');
  await search.press('ArrowDown');
  const second = listbox.getByRole('option').nth(1);
  assert.equal(await search.getAttribute('aria-activedescendant'), await second.getAttribute('id'));
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  const product = (await second.textContent()).trim();
  await search.press('Enter');
  await page.locator(`[data-product="${product.replaceAll('"', '\\"')}"]`).waitFor();
  assert.equal(await search.inputValue(), product);
  assert.equal(await search.getAttribute('aria-expanded'), 'false');
  // Échap ferme la liste rouverte par la saisie.
  await search.fill('b');
  await listbox.getByRole('option').first().waitFor();
  await search.press('Escape');
  assert.equal(await search.getAttribute('aria-expanded'), 'false');

  // Les en-têtes triables disent leur tri (aria-sort), et il suit les clics.
  await page.getByTestId('tab-associations').click();
  const sortOf = () =>
    page.getByTestId('rules-table').evaluate((table) =>
      Object.fromEntries([...table.querySelectorAll('th[aria-sort]')].map((th) => [th.querySelector('button').dataset.sort, th.getAttribute('aria-sort')])),
    );
  const before = await sortOf();
  assert.equal(Object.values(before).filter((value) => value !== 'none').length, 1);
  await page.getByTestId('rules-table').locator('button[data-sort="Support"]').click();
  assert.equal((await sortOf()).Support, 'descending');
  await page.getByTestId('rules-table').locator('button[data-sort="Support"]').click();
  assert.equal((await sortOf()).Support, 'ascending');
  assert.deepEqual(errors, []);
  await context.close();
});

test('thème : celui du système par défaut, le sélecteur l’impose et il est mémorisé ; ?theme= l’impose aussi', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR', { colorScheme: 'dark' });
  const background = () => page.evaluate(() => getComputedStyle(document.body.parentElement).backgroundColor);
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').waitFor();
  const dark = await background();
  assert.equal(dark, 'rgb(18, 26, 28)', 'système sombre : thème sombre');
  await page.screenshot({ path: 'e2e/artifacts/theme-dark-import.png' });
  await page.getByTestId('theme-switch').selectOption('light');
  assert.equal(await background(), 'rgb(246, 244, 239)');
  assert.equal(await page.evaluate(() => localStorage.getItem('panier.theme')), 'light');
  await page.reload();
  await page.getByTestId('demo-button').waitFor();
  assert.equal(await background(), 'rgb(246, 244, 239)', 'le choix survit au rechargement');
  // L'adresse l'emporte (page hôte), sans rien écrire sur l'appareil.
  await page.goto(`${bench.served.url}?theme=dark`);
  await page.getByTestId('demo-button').waitFor();
  assert.equal(await background(), dark);
  assert.equal(await page.evaluate(() => localStorage.getItem('panier.theme')), 'light');
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: 'e2e/artifacts/theme-dark-overview.png', fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
