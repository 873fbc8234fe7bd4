// Les réglages qui voyagent : exportés de l'application, ils redonnent à la
// CLI (`--config`) exactement les mêmes segments et les mêmes règles ;
// importés dans l'application, ils s'appliquent ; mémorisés sur l'appareil
// seulement si l'utilisateur le demande.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBench, CLI } from './harness.mjs';

const bench = useBench();

/** Un téléchargement déclenché par un clic : son chemin et son nom. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { path: await file.path(), name: file.suggestedFilename() };
}

/** La démo, écrite par la CLI (les mêmes octets que celle de l'application). */
function demoFile(dir) {
  const demo = join(dir, 'demo.csv');
  execFileSync(CLI, ['demo', '--out', demo]);
  return demo;
}

/**
 * Change de vue par le fragment, sans recharger : l'adresse porte les
 * réglages (`?settings=`), un `goto` vers une autre adresse rechargerait la
 * page et l'analyse avec.
 */
const go = (page, view) => page.evaluate((view) => { location.hash = `#/${view}`; }, view);

/** Ouvre le panneau des réglages et y importe « 3 niveaux de score ». */
async function importLevels3(page) {
  await page.getByTestId('settings-panel').locator('summary').click();
  await page.getByTestId('import-settings').setInputFiles({
    name: 'r.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from('version: 1\nrfm:\n  levels: 3\n'),
  });
  await page.getByTestId('settings-applied').waitFor();
}

async function openDemo(page) {
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
}

test('réglages exportés de l’application → CLI --config : rfm_segments.csv et association_rules.csv identiques', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR');
  await openDemo(page);
  // Segmentation : 4 niveaux, une case de la grille renommée.
  await go(page, 'segmentation');
  await page.getByTestId('rfm-levels').selectOption('4');
  await page.getByTestId('rfm-apply').click();
  // La grille passe à 4 niveaux quand la segmentation arrive (le worker peut
  // être encore occupé par la valeur client) : on attend qu'elle y soit.
  await page.getByTestId('segment-grid').locator('input[data-cell="5-5"]').waitFor({ state: 'detached' });
  const cell = page.getByTestId('segment-grid').locator('input[data-cell="4-4"]');
  await cell.waitFor();
  await cell.fill('Nos stars');
  await cell.press('Enter');
  await page.getByTestId('segment-table').locator('tr[data-segment="Nos stars"]').waitFor();
  const rfm = readFileSync((await download(page, 'export-rfm')).path, 'utf8');
  assert.match(rfm, /Nos stars/);
  // Paniers : support 1,5 %, taille 3, lift 1,2, Eclat, un article retiré.
  await go(page, 'recommendations');
  await page.getByTestId('basket-summary').waitFor();
  await page.getByTestId('min-support').fill('1,5');
  await page.getByTestId('max-len').fill('3');
  await page.getByTestId('min-lift').fill('1,2');
  await page.getByTestId('algorithm').selectOption('eclat');
  await page.getByTestId('mine').click();
  await page.waitForFunction(() => /Eclat/.test(document.querySelector('[data-testid=basket-method]')?.textContent ?? ''));
  const rules = readFileSync((await download(page, 'export-rules')).path, 'utf8');
  // Les réglages, exportés depuis la page Import.
  await go(page, 'import');
  await page.getByTestId('settings-panel').locator('summary').click();
  const exported = await download(page, 'export-settings');
  assert.equal(exported.name, 'settings.yaml');
  const yaml = readFileSync(exported.path, 'utf8');
  for (const line of ['levels: 4', 'min_support: 0.015', 'max_len: 3', 'min_lift: 1.2', 'algorithm: eclat', 'Nos stars']) {
    assert.ok(yaml.includes(line), `${line} absent :\n${yaml}`);
  }
  // La CLI, avec ces seuls réglages, sur les mêmes octets.
  const dir = mkdtempSync(join(tmpdir(), 'panier-settings-'));
  const config = join(dir, 'settings.yaml');
  writeFileSync(config, yaml);
  const out = join(dir, 'out');
  execFileSync(CLI, ['analyze', demoFile(dir), '--out', out, '--config', config], { stdio: 'ignore' });
  assert.equal(readFileSync(join(out, 'rfm_segments.csv'), 'utf8'), rfm);
  assert.equal(readFileSync(join(out, 'association_rules.csv'), 'utf8'), rules);
  // … et la CLI réécrit les mêmes réglages à côté de ses sorties.
  assert.equal(readFileSync(join(out, 'settings.yaml'), 'utf8'), yaml);
  assert.deepEqual(errors, []);
  await context.close();
});

test('réglages importés dans l’application : appliqués à l’analyse ; un fichier cassé est expliqué', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR');
  await page.goto(bench.served.url);
  const dir = mkdtempSync(join(tmpdir(), 'panier-settings-'));
  const broken = join(dir, 'cassé.yaml');
  writeFileSync(broken, 'version: 1\nrfm:\n  level: 3\n');
  await page.getByTestId('settings-panel').locator('summary').click();
  await page.getByTestId('import-settings').setInputFiles(broken);
  const error = await page.getByTestId('settings-error').textContent();
  assert.match(error, /Le fichier de réglages ne se lit pas \(ligne 3\)/);
  assert.match(error, /level/);
  const good = join(dir, 'equipe.yaml');
  writeFileSync(
    good,
    'version: 1\nrfm:\n  levels: 3\n  segments:\n    - [Nouveaux, Prometteurs, Stars]\n    - [Tièdes, Tièdes, Fidèles]\n    - [Perdus, Perdus, À relancer]\nbaskets:\n  min_support: 0.03\n',
  );
  await page.getByTestId('import-settings').setInputFiles(good);
  await page.getByTestId('settings-applied').waitFor();
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await go(page, 'segmentation');
  await page.getByTestId('segment-table').locator('tr[data-segment="Stars"]').waitFor();
  assert.equal(await page.getByTestId('segment-grid').locator('input[data-cell="4-4"]').count(), 0);
  await go(page, 'recommendations');
  assert.equal(await page.getByTestId('min-support').inputValue(), '3');
  assert.deepEqual(errors, []);
  await context.close();
});

test('se souvenir des réglages : seulement si coché, rechargés au retour, oubliés quand on décoche', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR');
  await page.goto(bench.served.url);
  const stored = () => page.evaluate(() => localStorage.getItem('panier.settings'));
  await importLevels3(page);
  assert.equal(await stored(), null, 'rien n’est écrit sans la case');
  await page.getByTestId('remember-settings').check();
  assert.match(await stored(), /levels: 3/);
  // Revenir à l'adresse nue (sans `?settings=`) : seul l'appareil s'en souvient.
  await page.goto(bench.served.url);
  await page.getByTestId('settings-panel').locator('summary').click();
  assert.equal(await page.getByTestId('remember-settings').isChecked(), true);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await go(page, 'segmentation');
  await page.getByTestId('segment-grid').locator('input[data-cell="3-3"]').waitFor();
  assert.equal(await page.getByTestId('segment-grid').locator('input[data-cell="4-4"]').count(), 0);
  await go(page, 'import');
  await page.getByTestId('settings-panel').locator('summary').click();
  await page.getByTestId('remember-settings').uncheck();
  assert.equal(await stored(), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('l’adresse garde les réglages : un lien partagé les redonne (sans données) ; un lien abîmé est expliqué', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR');
  await page.goto(`${bench.served.url}#/import`);
  assert.equal(new URL(page.url()).searchParams.get('settings'), null, 'réglages par défaut : adresse nue');
  await importLevels3(page);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('settings')?.includes('levels: 3'));
  const shared = page.url();
  assert.match(shared, /#\/import$/, 'la vue reste dans le fragment');
  // Ouvert ailleurs (un autre contexte : rien de mémorisé), le lien redonne
  // les réglages.
  const other = await bench.newPage('fr-FR');
  await other.page.goto(shared);
  await other.page.getByTestId('demo-button').click();
  await other.page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await other.page.evaluate(() => { location.hash = '#/segmentation'; });
  await other.page.getByTestId('segment-grid').locator('input[data-cell="3-3"]').waitFor();
  assert.equal(await other.page.getByTestId('segment-grid').locator('input[data-cell="4-4"]').count(), 0);
  assert.deepEqual(other.errors, []);
  await other.context.close();
  // Un lien abîmé : le panneau s'ouvre et dit pourquoi.
  await page.goto(`${bench.served.url}?settings=${encodeURIComponent('version: 1\nrfm: [')}#/import`);
  await page.getByTestId('settings-error').waitFor();
  assert.match(await page.getByTestId('settings-error').textContent(), /Le fichier de réglages ne se lit pas/);
  assert.deepEqual(errors, []);
  await context.close();
});
