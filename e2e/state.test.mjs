// États de l'interface qui bloquaient l'utilisateur (issue 14) : chaque test
// reproduit le scénario d'un utilisateur et vérifie qu'il s'en sort.
// Même banc que app.test.mjs : build release servie sur 127.0.0.1 sous un
// sous-chemin, Chromium de Debian, aucune requête hors de 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBench, CLI } from './harness.mjs';

const bench = useBench();
const { newPage } = bench;

const kpi = (page, id) => page.getByTestId(id).locator('.kpi-value').textContent();
const en = (n) => n.toLocaleString('en-US');

/** La démo (3 000 clients) écrite par la CLI, et son analyse complète. */
function demo() {
  const dir = mkdtempSync(join(tmpdir(), 'panier-state-'));
  const file = join(dir, 'demo.csv');
  execFileSync(CLI, ['demo', '--out', file]);
  const out = join(dir, 'out');
  execFileSync(CLI, ['analyze', file, '--out', out], { stdio: 'ignore' });
  return { file, out };
}

async function openDemo(page) {
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
}

test('filtre sans aucune vente : message dans la vue, filtre conservé, remise à zéro en un clic', async () => {
  const { context, page, errors } = await newPage();
  await openDemo(page);
  const customers = await kpi(page, 'kpi-customers');
  await page.getByTestId('filter-from').fill('2030-01-01');
  await page.getByTestId('filter-apply').click();
  await page.getByTestId('filter-error').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('filter-error').textContent(), /No transaction in the chosen period/);
  // La vue et le filtre restent, avec les chiffres du filtre précédent.
  assert.equal(await page.getByTestId('analysis-error').count(), 0);
  assert.equal(await kpi(page, 'kpi-customers'), customers);
  await page.getByTestId('global-filter').waitFor();
  await page.getByTestId('filter-reset').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=filter-error]'));
  assert.equal(await kpi(page, 'kpi-customers'), customers);
  assert.equal(await page.getByTestId('filter-from').inputValue(), '');
  // Un autre fichier (ici la démo) s'analyse ensuite normalement.
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  assert.equal(await kpi(page, 'kpi-customers'), customers);
  assert.deepEqual(errors, []);
  await context.close();
});

test('période à l’envers : refusée dès la saisie', async () => {
  const { context, page, errors } = await newPage();
  await openDemo(page);
  await page.getByTestId('filter-from').fill('2011-06-01');
  await page.getByTestId('filter-to').fill('2011-05-01');
  await page.getByTestId('filter-reversed').waitFor();
  assert.ok(await page.getByTestId('filter-apply').isDisabled());
  await page.getByTestId('filter-to').fill('2011-06-01');
  await page.waitForFunction(() => !document.querySelector('[data-testid=filter-reversed]'));
  assert.ok(await page.getByTestId('filter-apply').isEnabled());
  assert.deepEqual(errors, []);
  await context.close();
});

test('le dernier jour du filtre compte en entier', async () => {
  const { file, out } = demo();
  // Oracle : les lignes nettoyées de tout le fichier datées du 1er juin au
  // 31 août inclus, comptées dans le CSV de la CLI.
  const lines = readFileSync(join(out, 'cleaned.csv'), 'utf8').trim().split('\n');
  const dateColumn = lines[0].split(',').indexOf('InvoiceDate');
  const day = (line) => line.split(',')[dateColumn].slice(0, 10);
  const inPeriod = lines.slice(1).filter((line) => day(line) >= '2011-06-01' && day(line) <= '2011-08-31');
  const lastDay = inPeriod.filter((line) => day(line) === '2011-08-31').length;
  assert.ok(lastDay > 0, 'la démo vend le 31 août');
  const { context, page, errors } = await newPage();
  await page.goto(bench.served.url);
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await page.getByTestId('filter-from').fill('2011-06-01');
  await page.getByTestId('filter-to').fill('2011-08-31');
  await page.getByTestId('filter-apply').click();
  await page.waitForFunction((n) => document.querySelector('[data-testid=kpi-rows] .kpi-value')?.textContent === n, en(inPeriod.length), { timeout: 30_000 });
  // La CLI, avec les mêmes bornes, compte les mêmes lignes.
  const filtered = join(mkdtempSync(join(tmpdir(), 'panier-to-')), 'out');
  execFileSync(CLI, ['analyze', file, '--out', filtered, '--from', '2011-06-01', '--to', '2011-08-31'], { stdio: 'ignore' });
  assert.equal(JSON.parse(readFileSync(join(filtered, 'report.json'), 'utf8')).rows, inPeriod.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test('date d’observation RFM : revient à la date par défaut', async () => {
  const { context, page, errors } = await newPage();
  await openDemo(page);
  await page.getByRole('link', { name: 'RFM segmentation' }).click();
  const summary = page.getByTestId('rfm-summary');
  await summary.waitFor();
  const initial = await summary.textContent();
  const defaultDay = await page.getByTestId('rfm-snapshot').inputValue();
  assert.ok(await page.getByTestId('rfm-snapshot-default').isDisabled());
  await page.getByTestId('rfm-snapshot').fill('2011-06-01');
  await page.getByTestId('rfm-apply').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=rfm-snapshot-shown]')?.dataset.snapshot === '2011-06-01 00:00:00');
  // Le bouton « Date par défaut » rend la segmentation de départ, heure comprise.
  await page.getByTestId('rfm-snapshot-default').click();
  await page.waitForFunction((text) => document.querySelector('[data-testid=rfm-summary]')?.textContent.split(' · ')[1] === text, initial.split(' · ')[1]);
  assert.equal(await page.getByTestId('rfm-snapshot').inputValue(), defaultDay);
  // Retaper le jour par défaut donne aussi la date par défaut (pas minuit).
  await page.getByTestId('rfm-snapshot').fill('2011-06-01');
  await page.getByTestId('rfm-apply').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=rfm-snapshot-shown]')?.dataset.snapshot === '2011-06-01 00:00:00');
  await page.getByTestId('rfm-snapshot').fill(defaultDay);
  await page.getByTestId('rfm-apply').click();
  await page.waitForFunction((text) => document.querySelector('[data-testid=rfm-summary]')?.textContent.split(' · ')[1] === text, initial.split(' · ')[1]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('un second fichier déposé pendant une analyse est refusé, et on le dit', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(bench.served.url);
  await page.waitForFunction(() => document.querySelector('.shell')?.dataset.worker === 'Ready', null, { timeout: 30_000 });
  // Deux dépôts coup sur coup : le premier lance l'analyse, le second
  // arrive pendant qu'elle tourne.
  const csv = readFileSync(demo().file, 'utf8');
  await page.evaluate((text) => {
    const zone = document.querySelector('.drop-zone');
    for (const name of ['premier.csv', 'second.csv']) {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, csv);
  assert.match(await page.getByTestId('file-refused').textContent(), /second\.csv.*already running/);
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('source').textContent(), /premier\.csv/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hors ligne après le chargement : l’import marche (le worker est chargé avec la page)', async () => {
  const { file } = demo();
  const { context, page, errors } = await newPage();
  await page.goto(bench.served.url);
  await page.waitForFunction(() => document.querySelector('.shell')?.dataset.worker === 'Ready', null, { timeout: 30_000 });
  await context.setOffline(true);
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await context.setOffline(false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('revalidation des fichiers du worker qui échoue dans le désordre : aucune erreur non rattrapée', async () => {
  // Le serveur coupé pendant la revalidation (voir src/worker/client.rs) :
  // le chargeur tarde, worker.js échoue tout de suite. Un échec arrivé avant
  // que la page ne l'attende devenait une promesse rejetée sans gestionnaire
  // (« TypeError: Failed to fetch », vu par le test hors ligne quand la
  // machine est chargée).
  const { context, page } = await newPage('en-US', { serviceWorkers: 'block' });
  const uncaught = [];
  page.on('pageerror', (error) => uncaught.push(String(error)));
  // La revalidation est la première demande de chaque fichier ; le worker
  // les redemande ensuite pour de bon.
  const first = (pattern, handle) => {
    let seen = false;
    return page.route(pattern, async (route) => {
      if (seen) return route.fallback();
      seen = true;
      return handle(route);
    });
  };
  await first(/worker_loader\.js/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.fallback();
  });
  await first(/\/worker\.js/, (route) => route.abort('failed'));
  await page.goto(bench.served.url);
  await page.waitForFunction(() => document.querySelector('.shell')?.dataset.worker === 'Ready', null, { timeout: 30_000 });
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  assert.deepEqual(uncaught, []);
  await context.close();
});

test('worker impossible à charger : un message et « Réessayer », jamais une barre sans fin', async () => {
  // Sans service worker : une première visite, que le cache ne peut pas
  // sauver (après une visite, il servirait le worker hors ligne).
  const { context, page } = await newPage('en-US', { serviceWorkers: 'block' });
  // Le serveur ne répond plus pour les fichiers du worker.
  const block = (route) => route.abort();
  await page.route(/worker/, block);
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('worker-error').waitFor({ timeout: 40_000 });
  assert.equal(await page.getByTestId('progress').count(), 0);
  assert.match(await page.getByTestId('worker-error').textContent(), /did not load/);
  await page.unroute(/worker/, block);
  await page.getByTestId('worker-retry').click();
  await page.waitForFunction(() => document.querySelector('.shell')?.dataset.worker === 'Ready', null, { timeout: 30_000 });
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await context.close();
});

test('iframe sandbox sans allow-same-origin : la page dit quelle permission manque', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(`${bench.served.origin}/embed-sandboxed.html`);
  const frame = page.frameLocator('#panier');
  await frame.getByTestId('worker-error').waitFor({ timeout: 30_000 });
  assert.match(await frame.getByTestId('worker-error').textContent(), /allow-same-origin/);
  await frame.getByTestId('demo-button').click();
  assert.equal(await frame.getByTestId('progress').count(), 0);
  assert.deepEqual(errors.filter((e) => /panicked|unreachable/.test(e)), []);
  await context.close();
});

test('une longue recherche d’associations laisse le worker répondre, et « Annuler » l’arrête en gardant les résultats précédents', async () => {
  const { context, page, errors } = await newPage();
  await openDemo(page);
  await page.goto(`${bench.served.url}#/recommendations`);
  const summary = page.getByTestId('basket-summary');
  await summary.waitFor({ timeout: 30_000 });
  const rules = await summary.getAttribute('data-rules');
  const firstRow = () => document.querySelector('[data-testid=rules-table] tbody tr')?.textContent;
  await page.waitForFunction(firstRow);
  const first = await page.evaluate(firstRow);
  // Apriori à 0,05 % sur la démo : plusieurs secondes de calcul.
  await page.getByTestId('algorithm').selectOption('apriori');
  await page.getByTestId('min-support').fill('0.05');
  await page.getByTestId('mine').click();
  await page.getByTestId('mining').waitFor();
  // Pendant la recherche, le worker d'analyse sert les autres demandes
  // (ici la page suivante des règles) : avant, il ne les voyait qu'une fois
  // la recherche finie.
  await page.getByTestId('rules-next').click();
  await page.waitForFunction((before) => {
    const row = document.querySelector('[data-testid=rules-table] tbody tr')?.textContent;
    return row && row !== before;
  }, first);
  assert.equal(await page.getByTestId('mining').count(), 1, 'la recherche tourne encore quand la réponse arrive');
  // « Annuler » : l'interface reprend la main, les résultats précédents
  // restent affichés et servis.
  await page.getByTestId('cancel-mining').click();
  assert.equal(await page.getByTestId('mining').count(), 0);
  assert.equal(await page.getByTestId('mine').isEnabled(), true);
  assert.equal(await summary.getAttribute('data-rules'), rules);
  await page.getByTestId('rules-previous').click();
  await page.waitForFunction((before) => document.querySelector('[data-testid=rules-table] tbody tr')?.textContent === before, first);
  // Une nouvelle recherche aboutit (un nouveau worker des paniers a pris la
  // place de celui qui a été arrêté).
  await page.getByTestId('algorithm').selectOption('auto');
  await page.getByTestId('min-support').fill('2');
  await page.getByTestId('mine').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=mining]'), null, { timeout: 30_000 });
  await summary.waitFor();
  assert.ok(Number(await summary.getAttribute('data-rules')) >= 0);
  assert.deepEqual(errors, []);
  await context.close();
});
