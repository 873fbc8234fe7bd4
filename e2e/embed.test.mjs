// L'API d'intégration, hôte et application sur deux origines différentes
// (deux ports de 127.0.0.1) : l'exemple d'hôte de public/ pilote une analyse
// complète par postMessage et lit un segment, qui est celui de la CLI ; un
// message d'une origine hors de la liste ?embed= est ignoré et compté.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBench, CLI, DIST } from './harness.mjs';
import { startServer } from './server.mjs';

const bench = useBench();
let host;
before(async () => {
  host = await startServer(DIST);
});
after(() => host?.server.close());

/** Une petite démo et la segmentation de la CLI sur les mêmes octets. */
function demoAndSegments() {
  const dir = mkdtempSync(join(tmpdir(), 'panier-embed-'));
  const file = join(dir, 'demo.csv');
  execFileSync(CLI, ['demo', '--out', file, '--customers', '500']);
  const out = join(dir, 'out');
  execFileSync(CLI, ['analyze', file, '--out', out], { stdio: 'ignore' });
  const segments = {};
  for (const line of readFileSync(join(out, 'rfm_segments.csv'), 'utf8').trim().split('\n').slice(1)) {
    const cells = line.split(',');
    (segments[cells.at(-1)] ??= []).push(cells[0]);
  }
  return { text: readFileSync(file, 'utf8'), segments };
}

test('l’exemple d’hôte (autre origine) pilote une analyse complète et lit un segment, celui de la CLI', async () => {
  assert.notEqual(new URL(host.url).origin, new URL(bench.served.url).origin);
  const { context, page, errors } = await bench.newPage('fr-FR');
  await page.goto(`${host.url}public/embed-host.html?app=${encodeURIComponent(bench.served.url)}`);
  await page.waitForFunction(() => window.panierEvents?.some((event) => event.type === 'ready'), null, { timeout: 30_000 });
  const ready = await page.evaluate(() => window.panierEvents.find((event) => event.type === 'ready'));
  assert.equal(ready.version, 1);
  assert.ok(ready.views.includes('segmentation'));
  const { text, segments } = demoAndSegments();
  // Un CSV en texte, avec ses réglages (objet) : l'analyse part, l'hôte
  // voit l'avancement puis le résultat.
  const analysed = await page.evaluate(async (text) => {
    const waiting = window.panier.next('analysed');
    window.panier.send({ type: 'load', text, name: 'portail.csv', settings: { version: 1, baskets: { min_support: 0.03 } } });
    return waiting;
  }, text);
  assert.equal(analysed.source, 'portail.csv');
  assert.ok(analysed.kpis.report.customers > 400, JSON.stringify(analysed.kpis.report).slice(0, 200));
  assert.ok(await page.evaluate(() => window.panierEvents.some((event) => event.type === 'progress')));
  // Un segment lu en retour : les mêmes clients que la CLI.
  const read = await page.evaluate(() => window.panier.request('segments'));
  assert.deepEqual(read.Champions, segments.Champions);
  assert.deepEqual(Object.keys(read).sort(), Object.keys(segments).sort());
  // Indicateurs, règles (au support demandé), recommandations d'un client.
  const kpis = await page.evaluate(() => window.panier.request('kpis'));
  assert.equal(kpis.report.customers, analysed.kpis.report.customers);
  const rules = await page.evaluate(() => window.panier.request('rules'));
  assert.ok(rules.top.length > 0);
  const customer = segments.Champions[0];
  const advice = await page.evaluate((customer) => window.panier.request('recommendations', { customer }), customer);
  assert.equal(advice.customer, customer);
  assert.equal(advice.segment, 'Champions');
  // Une question mal posée : une erreur qui dit quoi envoyer.
  await assert.rejects(page.evaluate(() => window.panier.request('tout')), /kpis, segments, recommendations, rules/);
  // Langue, thème, vue.
  const frame = page.frame({ url: /embed=/ });
  await page.evaluate(() => {
    window.panier.send({ type: 'set-language', lang: 'en' });
    window.panier.send({ type: 'set-theme', theme: 'dark' });
    window.panier.send({ type: 'show-view', view: 'segmentation' });
  });
  await frame.waitForFunction(() => document.documentElement.lang === 'en' && document.documentElement.dataset.theme === 'dark' && location.hash === '#/segmentation');
  // Un segment choisi dans Panier est annoncé à l'hôte, avec ses clients.
  const selected = page.evaluate(() => window.panier.next('segment-selected'));
  await frame.getByTestId('customer-segment-filter').selectOption('Champions');
  const event = await selected;
  assert.equal(event.segment, 'Champions');
  assert.deepEqual(event.customers, segments.Champions);
  assert.deepEqual(errors, []);
  await context.close();
});

test('une origine hors de la liste ?embed= : ses messages sont ignorés et comptés, rien ne lui est envoyé', async () => {
  const { context, page, errors } = await bench.newPage('fr-FR');
  await page.goto(`${host.url}public/embed-host.html?app=${encodeURIComponent(bench.served.url)}&allow=${encodeURIComponent('https://portail.example')}`);
  await page.frameLocator('#panier').getByTestId('demo-button').waitFor();
  await page.evaluate(() => window.panier.send({ type: 'load', text: 'InvoiceNo,Quantity\n1,2\n', name: 'intrus.csv' }));
  const appFrame = page.frames().find((f) => f.url().includes('embed='));
  await appFrame.waitForFunction(() => document.documentElement.dataset.embedIgnored === '1');
  assert.equal(await appFrame.evaluate(() => document.querySelector('[data-testid=progress], [data-testid=analysis-error]')), null);
  assert.deepEqual(await page.evaluate(() => window.panierEvents), [], 'rien n’est envoyé à une origine non autorisée');
  assert.deepEqual(errors, []);
  await context.close();
});
