// Tests de bout en bout : l'application construite en release, servie sur
// 127.0.0.1 sous un sous-chemin, pilotée dans le vrai Chromium de Debian.
// Toute requête vers un autre hôte que 127.0.0.1 fait échouer les tests.
import { money } from './common.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useBench, CLI, ROOT } from './harness.mjs';
import { attachWorkers } from './workers.mjs';

const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const SHARED = resolve(ROOT, '..', 'shared');
const DATA = join(SHARED, 'data', 'online_retail');
const ONLINE_RETAIL = join(DATA, 'online_retail.csv');
const FULL_002 = join(SHARED, 'reference', 'full_002');

const bench = useBench();
const { newPage } = bench;

/** Rapport attendu, calculé par la CLI native sur le même fichier. */
function cliReport(file) {
  const out = mkdtempSync(join(tmpdir(), 'panier-e2e-'));
  execFileSync(CLI, ['analyze', file, '--out', out], { stdio: 'ignore' });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  // La devise devinée par le cœur (vue d'ensemble) : les montants l'affichent.
  const overview = JSON.parse(readFileSync(join(out, 'overview.json'), 'utf8'));
  return { ...report, currency: overview.currency };
}

const en = (n) => n.toLocaleString('en-US');

// ../shared (données et références, hors du dépôt) est toujours là en CI.
const HAS_SHARED = existsSync(join(SHARED, 'reference')) && existsSync(join(SHARED, 'data'));

/**
 * Faux (et le test est marqué « skipped ») si ../shared n'est pas là ; s'il
 * est là, chaque fichier demandé doit exister, sinon le test échoue en le
 * nommant. Jamais de test qui passe sans rien vérifier.
 */
function hasShared(t, ...paths) {
  if (!HAS_SHARED) {
    t.skip(`needs ../shared : ${join(SHARED, 'reference')} ou ${join(SHARED, 'data')} absent`);
    return false;
  }
  for (const path of paths) assert.ok(existsSync(path), `${path} absent : ce test a besoin de ../shared`);
  return true;
}

test('la démo affiche les mêmes indicateurs que la CLI native', async () => {
  const { context, page, errors } = await newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  assert.match(page.url(), /#\/overview$/);

  const demo = join(mkdtempSync(join(tmpdir(), 'panier-demo-')), 'demo.csv');
  execFileSync(CLI, ['demo', '--out', demo]);
  const expected = cliReport(demo);
  const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
  assert.equal(await kpi('kpi-rows-read'), en(expected.import.rows_read));
  assert.equal(await kpi('kpi-rows'), en(expected.rows));
  assert.equal(await kpi('kpi-customers'), en(expected.customers));
  assert.equal(await kpi('kpi-invoices'), en(expected.invoices));
  assert.equal(
    await kpi('kpi-revenue'),
    money(expected.revenue, expected.currency),
  );
  await page.screenshot({ path: join(ARTIFACTS, 'demo-overview.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('langue : français si le navigateur le préfère, choix mémorisé', async () => {
  const { context, page } = await newPage('fr-FR');
  await page.goto(bench.served.url);
  const nav = page.locator('nav');
  await assert.doesNotReject(nav.getByText("Vue d'ensemble").waitFor());
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await nav.getByText('Overview').waitFor();
  await page.reload();
  await nav.getByText('Overview').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await context.close();
});

test('chaque vue a une adresse stable', async () => {
  const { context, page } = await newPage('en-US');
  await page.goto(`${bench.served.url}#/segmentation`);
  await page.locator('nav a.active[data-view="segmentation"]').waitFor();
  await page.locator('nav a[data-view="recommendations"]').click();
  assert.match(page.url(), /#\/recommendations$/);
  await page.goBack();
  await page.locator('nav a.active[data-view="segmentation"]').waitFor();
  await context.close();
});

test('un fichier qui n’est pas un CSV donne un message clair', async () => {
  const { context, page, errors } = await newPage('en-US');
  await page.goto(bench.served.url);
  const png = join(mkdtempSync(join(tmpdir(), 'panier-png-')), 'photo.csv');
  writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  await page.getByTestId('file-input').setInputFiles(png);
  const alert = page.getByTestId('analysis-error');
  await alert.waitFor();
  assert.match(await alert.textContent(), /looks like a PNG file/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('l’application fonctionne dans une iframe', async () => {
  const { context, page } = await newPage('en-US');
  await page.goto(`${bench.served.origin}/embed.html`);
  const frame = page.frameLocator('#panier');
  await frame.getByTestId('demo-button').click();
  await frame.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await context.close();
});

test('Online Retail (47 Mo) : 541 909 lignes, page réactive pendant le calcul', async (t) => {
  const expected = (file) => join(FULL_002, file);
  const references = ['rfm_segments.csv', 'association_rules.csv', 'frequent_itemsets.csv'].map(expected);
  if (!hasShared(t, ONLINE_RETAIL, ...references)) return;
  const { context, page, errors } = await newPage('en-US');
  await page.goto(bench.served.url);
  // Mesure la plus longue pause du fil principal pendant l'analyse.
  await page.evaluate(() => {
    window.__longestFrameGap = 0;
    let last = performance.now();
    const tick = (now) => {
      window.__longestFrameGap = Math.max(window.__longestFrameGap, now - last);
      last = now;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByTestId('file-input').setInputFiles(ONLINE_RETAIL);
  await page.getByTestId('progress').waitFor();
  await page.getByTestId('kpi-rows-read').waitFor({ timeout: 120_000 });
  const gap = await page.evaluate(() => {
    window.__stopFrames = true;
    return window.__longestFrameGap;
  });
  await expectOnlineRetailKpis(page);
  // Lu à deux : la seconde moitié vient du second worker (étape « jonction »).
  await page.getByTestId('timings').waitFor({ state: 'attached' });
  const stages = await page.$$eval('[data-testid=timings] .timing', (spans) => spans.map((s) => s.dataset.stage));
  assert.ok(stages.includes('join'), `étapes : ${stages}`);
  assert.ok(Number(await page.getByTestId('timings').getAttribute('data-helper-memory')) > 0);
  await page.screenshot({ path: join(ARTIFACTS, 'online-retail-overview.png'), fullPage: true });
  // Segmentation : le CSV exporté par le navigateur est, octet pour octet,
  // celui de la référence pandas.
  await page.getByRole('link', { name: 'RFM segmentation' }).click();
  await page.getByTestId('rfm-summary').waitFor();
  assert.match(await page.getByTestId('rfm-summary').textContent(), /^4,338 customers segmented/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-rfm').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'rfm_segments.csv');
  assert.equal(readFileSync(await download.path(), 'utf8'), readFileSync(expected('rfm_segments.csv'), 'utf8'));
  await page.screenshot({ path: join(ARTIFACTS, 'online-retail-segmentation.png'), fullPage: true });
  // Paniers : règles et itemsets exportés par le navigateur = référence mlxtend.
  await page.getByRole('link', { name: 'Recommendations' }).click();
  await page.getByTestId('basket-summary').waitFor();
  assert.equal(await page.getByTestId('basket-summary').getAttribute('data-itemsets'), '243');
  for (const [button, file] of [['export-rules', 'association_rules.csv'], ['export-itemsets', 'frequent_itemsets.csv']]) {
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
    assert.equal(exported.suggestedFilename(), file);
    assert.equal(readFileSync(await exported.path(), 'utf8'), readFileSync(expected(file), 'utf8'), file);
  }
  // Réanalyse (filtre global) : elle repart des octets gardés par le worker,
  // dont la seconde moitié, copiée après la première réponse ; la France de
  // la référence france_007 compte 87 clients.
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByTestId('filter-country').selectOption('France');
  await page.getByTestId('filter-apply').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=kpi-customers] .kpi-value')?.textContent === '87', null, { timeout: 60_000 });
  // La lecture du fichier (50 Mo copiés dans le worker) ne doit pas figer la
  // page : le transfert du File (sans ses octets) prend quelques ms.
  assert.ok(gap < 250, `le fil principal s'est figé ${gap.toFixed(0)} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Chiffres de référence (../shared/reference/full_002/summary.json). */
async function expectOnlineRetailKpis(page) {
  const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
  assert.equal(await kpi('kpi-rows-read'), '541,909');
  assert.equal(await kpi('kpi-rows'), '397,884');
  assert.equal(await kpi('kpi-customers'), '4,338');
  assert.equal(await kpi('kpi-invoices'), '18,532');
  assert.equal(await kpi('kpi-products'), '3,866');
  assert.equal(await kpi('kpi-countries'), '37');
  assert.equal(await kpi('kpi-revenue'), '£8,911,407.90');
  const period = page.getByTestId('period');
  assert.deepEqual([await period.getAttribute('data-from'), await period.getAttribute('data-to')], ['2010-12-01 08:26:00', '2011-12-09 12:50:00']);
  assert.match(await period.textContent(), /Dec\u00a01, 2010, 08:26 → Dec\u00a09, 2011, 12:50/);
}

for (const file of ['online_retail_latin1.csv', 'online_retail.xlsx']) {
  test(`${file} : même rapport que le CSV UTF-8`, async (t) => {
    const path = join(DATA, file);
    if (!hasShared(t, path)) return;
    const { context, page, errors } = await newPage('en-US');
    await page.goto(bench.served.url);
    await page.getByTestId('file-input').setInputFiles(path);
    await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 120_000 });
    await expectOnlineRetailKpis(page);
    await page.screenshot({ path: join(ARTIFACTS, `${file}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('colonnes inconnues : l’étape de correspondance permet de les indiquer', async () => {
  const { context, page, errors } = await newPage('fr-FR');
  await page.goto(bench.served.url);
  const dir = mkdtempSync(join(tmpdir(), 'panier-map-'));
  const file = join(dir, 'export.csv');
  writeFileSync(
    file,
    'Ref;Produit;Nb;Quand;PU;Acheteur\n' +
      'F1;Tasse;2;25/12/2011 10:00;2,50;C1\n' +
      'F1;Sous-tasse;1;25/12/2011 10:00;1,50;C1\n' +
      'F2;Tasse;3;26/12/2011 11:00;2,50;C2\n',
  );
  await page.getByTestId('file-input').setInputFiles(file);
  const alert = page.getByTestId('analysis-error');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Colonnes introuvables\u00a0: InvoiceNo/);
  const panel = page.getByTestId('mapping-panel');
  assert.equal(await panel.getAttribute('open'), '');
  await page.getByTestId('mapping-invoice').selectOption({ label: '1 · Ref' });
  await page.getByTestId('mapping-quantity').selectOption({ label: '3 · Nb' });
  await page.getByTestId('mapping-invoice_date').selectOption({ label: '4 · Quand' });
  await page.getByTestId('mapping-unit_price').selectOption({ label: '5 · PU' });
  await page.getByTestId('mapping-customer').selectOption({ label: '6 · Acheteur' });
  await page.getByTestId('apply-mapping').click();
  await page.getByTestId('timings').waitFor({ state: 'attached' });
  const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
  assert.equal(await kpi('kpi-invoices'), '2');
  assert.equal(await kpi('kpi-revenue'), '14,00');
  assert.deepEqual([await page.getByTestId('period').getAttribute('data-from'), await page.getByTestId('period').getAttribute('data-to')], ['2011-12-25 10:00:00', '2011-12-26 11:00:00']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('export des données nettoyées depuis le navigateur', async () => {
  const { context, page } = await newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-cleaned').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'demo_cleaned.csv');
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,TotalPrice');
  const rows = await page.getByTestId('kpi-rows').locator('.kpi-value').textContent();
  assert.equal((lines.length - 1).toLocaleString('en-US'), rows);
  await context.close();
});

/** Un CSV de transactions de plus de 8 Mo (lu à deux), `rows` lignes. */
function bigCsv(rows) {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  for (let i = 0; i < rows; i += 1) {
    const invoice = 500000 + Math.floor(i / 12);
    lines.push(`${invoice},${10000 + (i % 97)},ARTICLE NUMERO ${i % 97} EN CERAMIQUE,${1 + (i % 7)},2011-0${1 + (i % 9)}-1${i % 10} 10:${10 + (i % 50)}:00,${(1 + (i % 13) * 0.25).toFixed(2)},${12000 + (i % 400)},United Kingdom`);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'panier-big-')), 'gros.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

test('gros CSV : lu à deux, ou d’un trait quand le second worker plante ou se tait', async () => {
  const rows = 110_000;
  const path = bigCsv(rows);
  // Mémoire du second worker rapportée par l'analyse : nulle s'il n'a rien lu.
  const helperMemory = async (page) => {
    await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 120_000 });
    assert.equal(await page.getByTestId('kpi-rows-read').locator('.kpi-value').textContent(), en(rows));
    return Number(await page.getByTestId('timings').getAttribute('data-helper-memory'));
  };
  // Second worker en état de marche : la seconde moitié vient de lui.
  const normal = await newPage('en-US');
  await normal.page.goto(bench.served.url);
  await normal.page.getByTestId('file-input').setInputFiles(path);
  assert.ok((await helperMemory(normal.page)) > 0);
  assert.deepEqual(normal.errors, []);
  await normal.context.close();
  // Second worker qui plante à la demande, ou qui ne répond jamais : le
  // worker d'analyse lit alors tout le fichier lui-même, mêmes chiffres.
  for (const handler of [
    "self.onmessage = () => { throw new Error('second worker en panne'); };",
    'self.onmessage = () => {};',
  ]) {
    const { context, page } = await newPage('en-US');
    await page.goto(bench.served.url);
    const workers = await attachWorkers(page);
    await page.locator('.drop-zone').hover();
    const helper = await workers.worker('helper');
    // Son propre gestionnaire est posé une fois son code chargé : on le
    // remplace ensuite.
    const ready = { expression: 'self.onmessage !== null', returnByValue: true };
    while (!(await helper.send('Runtime.evaluate', ready)).result.value) {
      await page.waitForTimeout(50);
    }
    await helper.send('Runtime.evaluate', { expression: handler });
    await page.getByTestId('file-input').setInputFiles(path);
    assert.equal(await helperMemory(page), 0, handler);
    await context.close();
  }
});

for (const [name, content, message] of [
  ['vide.csv', '', /The file is empty/],
  ['entete.csv', 'InvoiceNo,Quantity,UnitPrice\n', /only the header line/],
  ['guillemet.csv', 'InvoiceNo,Quantity,UnitPrice\n1,"2,3\n', /unclosed quote/],
]) {
  test(`fichier hostile ${name} : message clair, pas de plantage`, async () => {
    const { context, page, errors } = await newPage('en-US');
    await page.goto(bench.served.url);
    const path = join(mkdtempSync(join(tmpdir(), 'panier-bad-')), name);
    writeFileSync(path, content);
    await page.getByTestId('file-input').setInputFiles(path);
    const alert = page.getByTestId('analysis-error');
    await alert.waitFor();
    assert.match(await alert.textContent(), message);
    // La page reste utilisable : la démo marche encore.
    await page.getByTestId('demo-button').click();
    await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 60_000 });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('groceries.csv : un panier par ligne, RFM désactivée et expliquée', async (t) => {
  const path = join(SHARED, 'data', 'groceries', 'groceries.csv');
  if (!hasShared(t, path)) return;
  const { context, page, errors } = await newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('file-input').setInputFiles(path);
  await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 60_000 });
  const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
  assert.equal(await kpi('kpi-invoices'), '9,835');
  assert.equal(await kpi('kpi-products'), '169');
  assert.equal(await kpi('kpi-revenue'), '—');
  // Sans client, date, prix ni pays : « — » et la raison, jamais 0 ; les
  // produits classés par unités puis commandes (pas par ordre alphabétique
  // à 0,00) ; pas de graphiques mensuels vides.
  for (const id of ['kpi-customers', 'kpi-countries', 'kpi-aov', 'kpi-returning']) {
    assert.equal(await kpi(id), '—', id);
    assert.equal(await page.getByTestId(id).getByTestId('kpi-note').textContent(), 'no column for this in the file');
  }
  assert.equal(await page.getByTestId('needs-dates').textContent(), 'The monthly charts need a date column; this file has none.');
  const top = page.getByTestId('top-products');
  assert.deepEqual(await top.locator('thead th').allTextContents(), ['#', 'Name', 'Units', 'Orders']);
  assert.deepEqual(await top.locator('tbody tr').first().locator('td').allTextContents(), ['1', 'whole milk', '2,513', '2,513']);
  assert.match(await page.getByTestId('top-products-by-units').textContent(), /ranked by units sold, then by orders/);
  // Ni pays ni dates : pas de filtre global ; sans montants, pas de devise.
  assert.equal(await page.getByTestId('global-filter').count(), 0);
  assert.equal(await page.getByTestId('currency').count(), 0);
  assert.match(await page.getByTestId('warnings').textContent(), /RFM segmentation unavailable: the CustomerID, InvoiceDate, Quantity and UnitPrice columns are missing\./);
  await page.getByRole('link', { name: 'RFM segmentation' }).click();
  assert.match(
    await page.getByTestId('rfm-error').textContent(),
    /needs a customer, a date and an amount.*missing: "CustomerID"/s,
  );
  // Les paniers et les ventes croisées marchent sans date ni client ; la
  // mesure de qualité dit pourquoi elle est impossible, sans rien casser.
  await page.getByRole('link', { name: 'Recommendations' }).click();
  await page.getByTestId('basket-summary').waitFor();
  assert.match(await page.getByTestId('basket-summary').textContent(), /^9,835 baskets/);
  await page.getByTestId('tab-quality').click();
  await page.getByTestId('quality-error').waitFor();
  assert.match(await page.getByTestId('quality-error').textContent(), /Cannot measure recommendation quality/);
  await page.getByTestId('tab-product').click();
  // Entrée sur un nom complet le choisit (sans passer par la liste).
  await page.getByTestId('product-search').fill('Whole Milk');
  await page.getByTestId('product-suggestions').getByRole('option').first().waitFor();
  await page.getByTestId('product-search').press('Enter');
  await page.getByTestId('cross-sell').locator('tbody tr').first().waitFor();
  assert.match(await page.getByTestId('cross-sell').locator('td.why').first().textContent(), /bought with "whole milk"/);
  // Sans client, les parties « client » et « segment » disent ce qui leur manque.
  await page.getByTestId('tab-customer').click();
  assert.match(await page.getByTestId('needs-customers').textContent(), /need a customer column; this file has none/);
  await page.getByTestId('tab-segment').click();
  assert.match(await page.getByTestId('needs-segments').textContent(), /need the RFM segmentation/);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Segments de la CLI native (rfm_segments.csv) sur les mêmes octets. */
function cliSegments(file, extra = []) {
  const out = mkdtempSync(join(tmpdir(), 'panier-rfm-'));
  execFileSync(CLI, ['analyze', file, '--out', out, ...extra], { stdio: 'ignore' });
  const text = readFileSync(join(out, 'rfm_segments.csv'), 'utf8');
  const rows = text.trim().split('\n').slice(1).map((line) => {
    // Le segment est la dernière colonne (« Can't Lose Them » n'a pas de virgule).
    const cells = line.split(',');
    return { id: cells[0], r: +cells[4], f: +cells[5], m: +cells[6], score: cells[7], fm: +cells[9], segment: cells[10] };
  });
  return { text, rows };
}

/** La démo, ouverte sur la page de segmentation. */
async function demoSegmentation(locale = 'en-US') {
  const opened = await newPage(locale);
  await opened.page.goto(bench.served.url);
  await opened.page.getByTestId('demo-button').click();
  await opened.page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await opened.page.goto(bench.served.url + '#/segmentation');
  await opened.page.getByTestId('rfm-summary').waitFor();
  return opened;
}

function demoFile() {
  const demo = join(mkdtempSync(join(tmpdir(), 'panier-demo-')), 'demo.csv');
  execFileSync(CLI, ['demo', '--out', demo]);
  return demo;
}

/** Effectif affiché de chaque segment du tableau. */
async function segmentCounts(page) {
  // Les indicateurs viennent du worker : on attend ceux de la grille affichée.
  await page.locator('[data-testid=segment-table][aria-busy=false] tbody tr').first().waitFor();
  const counts = {};
  for (const row of await page.getByTestId('segment-table').locator('tbody tr').all()) {
    const name = await row.getAttribute('data-segment');
    counts[name] = Number((await row.getByTestId('segment-customers').textContent()).replace(/,/g, ''));
  }
  return counts;
}

test('segmentation de la démo : mêmes segments et même export que la CLI', async () => {
  const { context, page, errors } = await demoSegmentation();
  const expected = cliSegments(demoFile());
  const byCli = {};
  for (const row of expected.rows) byCli[row.segment] = (byCli[row.segment] ?? 0) + 1;
  const shown = await segmentCounts(page);
  for (const [segment, count] of Object.entries(byCli)) assert.equal(shown[segment], count, segment);
  assert.equal(Object.values(shown).reduce((a, b) => a + b, 0), expected.rows.length);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-rfm').click()]);
  assert.equal(readFileSync(await download.path(), 'utf8'), expected.text);

  // Un client de la liste ouvre sa fiche, avec le score de la CLI.
  const first = expected.rows.find((row) => row.segment === 'Champions');
  await page.getByTestId('customer-search').fill(first.id);
  await page.getByTestId('customer-table').locator(`tr[data-customer="${first.id}"]`).click();
  await page.getByTestId('sheet-products').waitFor();
  assert.equal(await page.getByTestId('sheet-customer').textContent(), first.id);
  assert.equal(await page.getByTestId('sheet-score').textContent(), first.score);

  // Filtre par segment : autant de clients que la CLI en compte.
  await page.getByTestId('customer-search').fill('');
  await page.getByTestId('customer-segment-filter').selectOption('At Risk');
  assert.equal(await page.getByTestId('customer-count').textContent(), en(byCli['At Risk']));
  await page.screenshot({ path: join(ARTIFACTS, 'demo-segmentation.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('grille des segments : une case renommée recompte aussitôt, et se réinitialise', async () => {
  const { context, page, errors } = await demoSegmentation();
  const expected = cliSegments(demoFile());
  const before = await segmentCounts(page);
  const vip = expected.rows.filter((row) => row.r === 5 && row.fm === 5).length;
  assert.ok(vip > 0);
  const cell = page.getByTestId('segment-grid').locator('input[data-cell="5-5"]');
  await cell.fill('VIP');
  await cell.press('Enter');
  await cell.blur();
  await page.getByTestId('segment-table').locator('tr[data-segment="VIP"]').waitFor();
  const after = await segmentCounts(page);
  assert.equal(after.VIP, vip);
  assert.equal(after.Champions, before.Champions - vip);
  // Le nuage 3D et sa légende suivent la grille.
  await page.getByTestId('scatter-legend').locator('[data-segment="VIP"]').waitFor();
  await page.getByTestId('grid-reset').click();
  assert.deepEqual(await segmentCounts(page), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('nuage 3D : glisser tourne, la légende masque un segment, un clic ouvre la fiche', async () => {
  const { context, page, errors } = await demoSegmentation();
  const canvas = page.getByTestId('rfm-scatter');
  const draws = async () => Number(await canvas.getAttribute('data-draws'));
  // Le nuage entier à l'écran : la souris agit sur ce qui est affiché.
  await canvas.evaluate((c) => c.scrollIntoView({ block: 'center' }));
  const box = await canvas.boundingBox();
  const start = await draws();
  const pixels = async () => page.evaluate(() => {
    const c = document.querySelector('[data-testid="rfm-scatter"]');
    return c.toDataURL();
  });
  const image = await pixels();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + i * 8, box.y + box.height / 2 + i * 3);
  await page.mouse.up();
  assert.ok((await draws()) >= start + 5, 'le glisser redessine');
  assert.notEqual(await pixels(), image, 'la vue a tourné');

  // Masquer un segment.
  const lost = page.getByTestId('scatter-legend').locator('[data-segment="Lost"]');
  await lost.click();
  assert.equal(await lost.getAttribute('aria-pressed'), 'false');

  // Survoler puis cliquer un point : on cherche un pixel coloré près du centre.
  const hit = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="rfm-scatter"]');
    const ctx = c.getContext('2d');
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let y = 40; y < c.height - 40; y += 2) {
      for (let x = 40; x < c.width - 40; x += 2) {
        const i = (y * c.width + x) * 4;
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        // Vert « Champions » (31, 111, 92) mélangé au blanc ou au gris du fond.
        if (g > r + 40 && g > b + 10 && r < 150) return { x, y, w: c.width };
      }
    }
    return null;
  });
  assert.ok(hit, 'un point Champions est visible');
  // Le clic sur la légende a pu faire défiler la page : la position du
  // nuage est relue.
  const at = await canvas.boundingBox();
  const scale = at.width / hit.w;
  await page.mouse.move(at.x + hit.x * scale, at.y + hit.y * scale);
  await page.getByTestId('scatter-tooltip').waitFor();
  await page.mouse.down();
  await page.mouse.up();
  await page.getByTestId('customer-sheet').waitFor();
  // La fiche s'ouvre à l'écran, son titre a le focus.
  await page.waitForFunction(() => {
    const top = document.querySelector('[data-testid="customer-sheet"]').getBoundingClientRect().top;
    return top > -2 && top < window.innerHeight / 2 && document.activeElement?.closest('[data-testid="customer-sheet"]');
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('niveaux de score et date d’observation : même résultat que la CLI', async () => {
  const { context, page, errors } = await demoSegmentation();
  const demo = demoFile();
  await page.getByTestId('rfm-levels').selectOption('3');
  await page.getByTestId('rfm-snapshot').fill('2011-10-01');
  await page.getByTestId('rfm-apply').click();
  await page.getByTestId('segment-grid').locator('input[data-cell="3-3"]').waitFor();
  // L'explication suit les niveaux : « 1–3 », « les meilleurs 33 % ».
  assert.match(await page.getByTestId('rfm-intro').textContent(), /a 1–3 score .*: 3 for the best 33%, 1 for the bottom 33%/);
  assert.equal(await page.getByTestId('segment-grid').locator('input[data-cell="4-4"]').count(), 0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-rfm').click()]);
  const expected = cliSegments(demo, ['--levels', '3', '--snapshot', '2011-10-01']);
  assert.equal(readFileSync(await download.path(), 'utf8'), expected.text);

  // Mouvements entre deux dates : la matrice compte tous les clients de la seconde date.
  await page.getByTestId('movement-from').fill('2011-06-01');
  await page.getByTestId('movement-to').fill('2011-10-01');
  await page.getByTestId('movement-compute').click();
  const matrix = page.getByTestId('movement-matrix');
  await matrix.waitFor();
  const total = (await matrix.locator('tbody td button').allTextContents())
    .reduce((sum, text) => sum + Number(text.replace(/,/g, '')), 0);
  assert.equal(total, expected.rows.length);
  await matrix.locator('tbody td button').first().click();
  await page.getByTestId('movement-customers').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

/** Itemsets et règles de la CLI native sur les mêmes octets. */
function cliBaskets(file, extra = []) {
  const out = mkdtempSync(join(tmpdir(), 'panier-baskets-'));
  execFileSync(CLI, ['analyze', file, '--out', out, ...extra], { stdio: 'ignore' });
  const read = (name) => readFileSync(join(out, name), 'utf8');
  return { itemsets: read('frequent_itemsets.csv'), rules: read('association_rules.csv') };
}

const lines = (text) => text.trim().split('\n').length - 1;

async function demoRecommendations() {
  const opened = await newPage('en-US');
  await opened.page.goto(bench.served.url);
  await opened.page.getByTestId('demo-button').click();
  await opened.page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await opened.page.goto(bench.served.url + '#/recommendations');
  await opened.page.getByTestId('basket-summary').waitFor();
  return opened;
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFileSync(await file.path(), 'utf8');
}

test('paniers de la démo : mêmes itemsets et règles que la CLI, réglages appliqués', async () => {
  const { context, page, errors } = await demoRecommendations();
  const demo = demoFile();
  const expected = cliBaskets(demo);
  const summary = page.getByTestId('basket-summary');
  assert.equal(Number(await summary.getAttribute('data-itemsets')), lines(expected.itemsets));
  assert.equal(Number(await summary.getAttribute('data-rules')), lines(expected.rules));
  assert.equal(await download(page, 'export-rules'), expected.rules);
  assert.equal(await download(page, 'export-itemsets'), expected.itemsets);
  assert.equal(await page.getByTestId('top-rule').count(), 10);
  // Dix associations distinctes : aucune paire d'articles répétée (A → B et
  // B → A ne comptent qu'une fois), chacune avec « pourquoi c'est important ».
  const pairs = new Set();
  for (const card of await page.getByTestId('top-rule').all()) {
    const items = (await card.getAttribute('data-items')).split('\u001f');
    for (let i = 0; i < items.length; i++) {
      for (const other of items.slice(i + 1)) {
        const pair = `${items[i]}|${other}`;
        assert.ok(!pairs.has(pair), `paire répétée : ${pair}`);
        pairs.add(pair);
      }
    }
    assert.match(await card.getByTestId('top-rule-why').textContent(), /Why it matters: .+ is in [\d,]+ orders?; .+ appears in ≈\s?[\d,]+ more of them/);
    // « Dans l'autre sens » n'est dit que d'une paire (B → A de A → B) ;
    // dans un trio, l'autre règle est « une autre lecture ».
    // « both A and B », « all of A, B and C » (pas « A and B and C »).
    const words = await card.locator('.rule-words').first().textContent();
    assert.match(words, items.length === 2 ? /of orders contain both [^,]+ and / : /of orders contain all of .+, .+ and /);
    const other = card.getByTestId('top-rule-other');
    if (await other.count()) {
      assert.match(await other.textContent(), items.length === 2 ? /^The other way round: / : /^Put another way: /);
    }
  }
  assert.ok(pairs.size >= 10);

  // Support 1 %, taille 2, confiance 20 % : comme la CLI avec les mêmes options.
  await page.getByTestId('min-support').fill('1');
  await page.getByTestId('max-len').fill('2');
  await page.getByTestId('min-confidence').fill('20');
  await page.getByTestId('algorithm').selectOption('fpgrowth');
  await page.getByTestId('mine').click();
  const narrowed = cliBaskets(demo, ['--min-support', '0.01', '--max-len', '2', '--min-confidence', '0.2']);
  await page.waitForFunction((n) => document.querySelector('[data-testid=basket-summary]')?.dataset.rules === String(n), lines(narrowed.rules));
  assert.equal(Number(await summary.getAttribute('data-itemsets')), lines(narrowed.itemsets));
  assert.match(await page.getByTestId('basket-method').textContent(), /FP-growth/);
  assert.equal(await download(page, 'export-rules'), narrowed.rules);
  await page.screenshot({ path: join(ARTIFACTS, 'demo-recommendations.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('règles : recherche, conséquent choisi, redondantes, tri, pages', async () => {
  const { context, page, errors } = await demoRecommendations();
  const count = async () => Number((await page.getByTestId('rules-count').textContent()).split(' / ')[0].replace(/,/g, ''));
  const table = page.getByTestId('rules-table');
  await table.locator('tbody tr').first().waitFor();
  const all = await count();
  assert.ok(all > 25, `${all} règles`);
  assert.equal(await page.getByTestId('rules-page').textContent(), `1 / ${Math.ceil(all / 25)}`);

  // Support, confiance, lift d'abord ; les six mesures avancées sur demande.
  assert.equal(await table.locator('thead th').count(), 4);
  await page.getByTestId('advanced-measures').check();
  assert.equal(await table.locator('thead th').count(), 10);
  assert.equal(await table.locator('tbody tr').first().locator('td').count(), 10);
  await page.getByTestId('advanced-measures').uncheck();
  assert.equal(await table.locator('tbody tr').first().locator('td').count(), 4);

  // Tri par lift décroissant par défaut.
  const lifts = (await table.locator('tbody tr td:nth-child(4)').allTextContents()).map(Number);
  assert.deepEqual(lifts, [...lifts].sort((a, b) => b - a));

  // Recherche d'un article : chaque règle le contient.
  const firstItem = (await table.locator('tbody tr td.rule button.item').first().textContent()).trim();
  await page.getByTestId('rule-search').fill(firstItem);
  await page.waitForFunction((n) => !document.querySelector('[data-testid=rules-count]').textContent.startsWith(String(n)), all);
  for (const rule of await table.locator('tbody tr td.rule').allTextContents()) assert.ok(rule.includes(firstItem), rule);
  await page.getByTestId('rule-search').fill('');

  // Un clic sur un conséquent : les règles qui y mènent.
  await table.locator('tbody tr td.rule button.item').first().click();
  assert.equal(await page.getByTestId('consequent-filter').inputValue(), firstItem);
  // La page filtrée arrive du worker : chaque règle mène alors à l'article.
  await page.waitForFunction((item) => {
    const rules = [...document.querySelectorAll('[data-testid="rules-table"] tbody tr td.rule')];
    return rules.length > 0 && rules.every((td) => td.textContent.split(' → ')[1].includes(item));
  }, firstItem);
  await page.getByTestId('consequent-filter').fill('');
  await page.getByTestId('consequent-filter').press('Enter');
  await page.getByTestId('consequent-filter').blur();

  // Un conséquent de plusieurs articles se lit comme une liste, jamais collé.
  for (const cell of await table.locator('tbody tr td.rule').all()) {
    const buttons = await cell.locator('button.item').allTextContents();
    if (buttons.length > 1) {
      const consequent = (await cell.textContent()).split(' → ')[1];
      assert.equal(consequent, `${buttons.slice(0, -1).join(', ')} and ${buttons.at(-1)}`);
    }
  }

  // Tri par confiance, puis page suivante.
  await page.getByRole('button', { name: /^Confidence/ }).click();
  await page.waitForFunction(() => document.querySelector('button.sort.active')?.dataset.sort === 'Confidence');
  await page.getByTestId('rules-next').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=rules-page]').textContent.startsWith('2 /'));

  // Masquer les redondantes : le total baisse d'autant.
  const text = await page.getByTestId('rules-count').textContent();
  const redundant = Number(text.split('·')[1].trim().split(' ')[0].replace(/,/g, ''));
  await page.getByTestId('hide-redundant').check();
  await page.waitForFunction((n) => document.querySelector('[data-testid=rules-count]').textContent.startsWith(`${n.toLocaleString('en-US')} /`), all - redundant);
  assert.deepEqual(errors, []);
  await context.close();
});

test('paniers : périmètre vide expliqué, recherche annulable', async () => {
  const { context, page, errors } = await demoRecommendations();
  const before = await page.getByTestId('basket-summary').getAttribute('data-rules');
  // Une période sans facture : message clair, réglages toujours offerts.
  await page.getByTestId('scope-from').fill('2030-01-01');
  await page.getByTestId('mine').click();
  await page.getByTestId('basket-error').waitFor();
  assert.match(await page.getByTestId('basket-error').textContent(), /No basket in this scope/);
  await page.getByTestId('scope-from').fill('');
  // Une recherche lancée puis annulée : l'interface reprend la main et le
  // résultat annulé n'est pas affiché.
  await page.getByTestId('min-support').fill('0.3');
  await page.getByTestId('mine').click();
  await page.getByTestId('cancel-mining').click();
  assert.equal(await page.getByTestId('mine').isEnabled(), true);
  await page.waitForTimeout(1500);
  assert.equal(await page.getByTestId('basket-summary').count(), 0, 'le résultat annulé est ignoré');
  await page.getByTestId('min-support').fill('2');
  await page.getByTestId('mine').click();
  await page.getByTestId('basket-summary').waitFor();
  assert.equal(await page.getByTestId('basket-summary').getAttribute('data-rules'), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('recommandations de la démo : qualité mesurée et export identiques à la CLI', async () => {
  const { context, page, errors } = await demoRecommendations();
  const demo = demoFile();
  const out = mkdtempSync(join(tmpdir(), 'panier-reco-'));
  execFileSync(CLI, ['--lang', 'en', 'analyze', demo, '--out', out], { stdio: 'ignore' });
  const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
  await page.getByTestId('tab-quality').click();
  assert.match(page.url(), /#\/recommendations\/quality$/);
  await page.getByTestId('quality-table').waitFor({ timeout: 60_000 });
  for (const [list, key] of [['discovery', 'discovery'], ['reorder', 'reorder']]) {
    for (const [who, json] of [['model', 'model'], ['all_time', 'baseline_all_time'], ['recent', 'baseline_recent']]) {
      const shown = await page.locator(`tr[data-list="${list}"][data-who="${who}"] [data-testid="hit-rate"]`).getAttribute('data-value');
      assert.equal(Number(shown), evaluation[key][json].hit_rate_at_10, `${list} ${who}`);
    }
  }
  // Le modèle bat les deux références en découverte sur la démo aussi.
  assert.ok(evaluation.discovery.model.hit_rate_at_10 > evaluation.discovery.baseline_all_time.hit_rate_at_10);
  await page.getByTestId('tab-customer').click();
  assert.equal(await download(page, 'export-recommendations'), readFileSync(join(out, 'recommendations.csv'), 'utf8'));

  // Un produit : ventes croisées justifiées, montée en gamme plus chère.
  const product = readFileSync(join(out, 'recommendations.csv'), 'utf8').split('\n')[1].split(',')[2];
  await page.getByTestId('tab-product').click();
  await page.getByTestId('product-search').fill(product.slice(0, 8));
  await page.getByTestId('product-suggestions').getByRole('option').first().click();
  await page.getByTestId('cross-sell').waitFor();
  for (const why of await page.getByTestId('cross-sell').locator('td.why').allTextContents()) {
    assert.match(why, /bought with ".*" in [\d,]+ orders?; [\d.]+% of orders with .* contain it; [\d.,]+ times more often than chance/);
  }
  // Classement par lift : les lifts des justifications décroissent.
  await page.getByTestId('rank-by').selectOption('lift');
  await page.waitForFunction(() => {
    const lifts = [...document.querySelectorAll('[data-testid="cross-sell"] td.why')].map((td) => Number(td.textContent.match(/([\d.,]+) times more often/)[1].replace(/,/g, '')));
    return lifts.length > 1 && lifts.every((l, i) => i === 0 || lifts[i - 1] >= l);
  });
  // Un client : dix articles à découvrir, le réachat commence par ses habitudes.
  const customer = readFileSync(join(out, 'recommendations.csv'), 'utf8').split('\n')[1].split(',')[0];
  await page.getByTestId('tab-customer').click();
  await page.getByTestId('customer-id').fill(customer);
  await page.getByTestId('customer-recommend').click();
  await page.getByTestId('discovery').waitFor();
  assert.equal(await page.getByTestId('discovery').locator('tbody tr').count(), 10);
  assert.match(await page.getByTestId('reorder').locator('tbody tr td.why').first().textContent(), /already bought in [\d,]+ orders?/);
  // Montée en gamme : ce qu'achètent des clients semblables mieux segmentés, plus cher.
  for (const why of await page.getByTestId('customer-upsell').locator('td.why').allTextContents()) {
    // Les prix dans la devise affichée (« £12.50 against £3.20 »).
    const [, price, usual] = why.match(/similar customers in better segments; £([\d.,]+) against £([\d.,]+)/);
    assert.ok(Number(price.replace(/,/g, '')) > Number(usual.replace(/,/g, '')), why);
  }
  // Un segment : ses meilleures ventes et une idée de campagne.
  await page.getByTestId('tab-segment').click();
  await page.getByTestId('recommend-segment').selectOption('At Risk');
  await page.getByTestId('segment-best-sellers').waitFor();
  assert.match(await page.locator('[data-segment="At Risk"]').textContent(), /Win-back campaign/);
  await page.getByTestId('segment-mine').click();
  // Le résultat s'ouvre avec les autres associations.
  await page.waitForFunction(() => window.location.hash === '#/recommendations/associations');
  await page.waitForFunction(() => !document.querySelector('[data-testid="mining"]'));
  await page.getByTestId('basket-summary').waitFor();
  assert.ok(Number(await page.getByTestId('basket-summary').textContent().then((t) => t.split(' ')[0].replace(/,/g, ''))) < 14000, 'paniers du seul segment');
  // Le périmètre des paniers se voit en haut de la vue, et se retire d'un clic.
  assert.equal(await page.getByTestId('chip-segment').locator('span').textContent(), 'Baskets of segment At Risk');
  await page.getByTestId('chip-segment').getByRole('button', { name: 'Remove this filter' }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="basket-summary"]')?.textContent.split(' ')[0].replace(/,/g, '')) >= 14000);
  assert.equal(await page.getByTestId('chip-segment').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('vue d’ensemble : indicateurs de ventes, mois, classements, filtre global suivi par toutes les vues', async () => {
  const { context, page, errors } = await newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-aov').waitFor({ timeout: 60_000 });
  const demo = demoFile();
  const out = mkdtempSync(join(tmpdir(), 'panier-overview-'));
  execFileSync(CLI, ['analyze', demo, '--out', out], { stdio: 'ignore' });
  const overview = JSON.parse(readFileSync(join(out, 'overview.json'), 'utf8'));
  const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
  assert.equal(await kpi('kpi-aov'), money(overview.average_order_value, overview.currency));
  assert.equal(await kpi('kpi-returning'), `${(overview.returning_share * 100).toFixed(1)}%`);
  const countries = await page.getByTestId('top-countries').locator('tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(countries, overview.top_countries.map((c) => c.name));
  assert.equal(await page.getByTestId('top-products').locator('tbody tr').count(), 10);
  await page.getByTestId('monthly-revenue').waitFor();

  // Filtre global : un pays et une période ; la segmentation suit.
  const country = overview.top_countries[1].name;
  await page.getByTestId('filter-country').selectOption(country);
  await page.getByTestId('filter-from').fill('2011-03-01');
  await page.getByTestId('filter-apply').click();
  const filtered = mkdtempSync(join(tmpdir(), 'panier-filtered-'));
  execFileSync(CLI, ['analyze', demo, '--out', filtered, '--country', country, '--from', '2011-03-01'], { stdio: 'ignore' });
  const report = JSON.parse(readFileSync(join(filtered, 'report.json'), 'utf8'));
  await page.waitForFunction((n) => document.querySelector('[data-testid=kpi-customers] .kpi-value')?.textContent === n, en(report.customers));
  assert.equal(await kpi('kpi-countries'), '1');
  await page.getByRole('link', { name: 'RFM segmentation' }).click();
  await page.getByTestId('rfm-summary').waitFor();
  const rfmRows = readFileSync(join(filtered, 'rfm_segments.csv'), 'utf8').trim().split('\n').length - 1;
  assert.match(await page.getByTestId('rfm-summary').textContent(), new RegExp(`^${en(rfmRows)} customers`));
  // Le filtre actif se voit aussi sur la segmentation.
  assert.equal(await page.getByTestId('chip-country').locator('span').textContent(), `Country: ${country}`);
  assert.equal(await page.getByTestId('chip-period').locator('span').textContent(), 'Period: from 2011-03-01');
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.screenshot({ path: join(ARTIFACTS, 'demo-overview-filtered.png'), fullPage: true });
  await page.getByTestId('filter-clear').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=kpi-countries] .kpi-value')?.textContent > '1');
  await page.screenshot({ path: join(ARTIFACTS, 'demo-overview-dashboard.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('montants : devise devinée du pays des clients, choisie, gardée dans les réglages ; mois incomplet signalé', async () => {
  const { context, page, errors } = await newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-aov').waitFor({ timeout: 60_000 });
  const demo = demoFile();
  const out = mkdtempSync(join(tmpdir(), 'panier-currency-'));
  execFileSync(CLI, ['analyze', demo, '--out', out], { stdio: 'ignore' });
  const overview = JSON.parse(readFileSync(join(out, 'overview.json'), 'utf8'));
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  // La démo vend surtout au Royaume-Uni : livres sterling.
  assert.equal(overview.currency, 'gbp');
  const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
  assert.equal(await kpi('kpi-revenue'), money(report.revenue, 'gbp'));
  assert.match(await page.getByTestId('currency').locator('option:checked').textContent(), /Automatic — GBP \(£\)/);
  // Le dernier mois s'arrête avant sa fin : c'est dit sous le graphique.
  assert.ok(overview.months.at(-1).partial);
  await page.getByTestId('partial-months').waitFor();
  // Bulles : la souris sur la dernière barre, puis le clavier depuis la première.
  const chart = page.getByTestId('monthly-revenue');
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * (500 / 520), box.y + box.height * 0.5);
  const last = overview.months.at(-1);
  assert.equal(
    await page.getByTestId('monthly-revenue-tip').textContent(),
    `Dec\u00a02011: ${money(last.revenue, 'gbp')} (incomplete month)`,
  );
  await page.mouse.move(0, 0);
  // Chaque graphique s'enregistre en image.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('monthly-revenue-png').click()]);
  assert.equal(png.suggestedFilename(), 'monthly-revenue.png');
  assert.deepEqual([...readFileSync(await png.path()).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Chaque indicateur dit ce qu'il mesure, au focus comme au survol.
  await page.getByTestId('kpi-aov').focus();
  assert.equal(await page.locator('#kpi-aov-definition').textContent(), 'Revenue divided by the number of orders.');
  assert.ok(await page.locator('#kpi-aov-definition').isVisible());
  await page.getByTestId('new-vs-returning').locator('..').focus();
  await page.keyboard.press('ArrowRight');
  const first = overview.months[0];
  assert.equal(
    await page.getByTestId('new-vs-returning-tip').textContent(),
    `Dec\u00a02010: ${en(first.new_customers)} new, ${en(first.returning_customers)} returning`,
  );
  // Choisie : euros partout, y compris en français (« 1 234,50 € »).
  await page.getByTestId('currency').selectOption('EUR');
  assert.equal(await kpi('kpi-revenue'), money(report.revenue, 'eur'));
  assert.equal(await kpi('kpi-aov'), money(overview.average_order_value, 'eur'));
  await page.getByRole('button', { name: 'FR', exact: true }).click();
  assert.match(await kpi('kpi-revenue'), /^\d{1,3}(\u202f\d{3})*,\d{2}\u00a0€$/);
  // Le choix fait partie des réglages : dans l'adresse, donc dans un lien partagé.
  await page.waitForFunction(() => new URLSearchParams(location.search).get('settings')?.includes('currency: eur'));
  assert.deepEqual(errors, []);
  await context.close();
});
