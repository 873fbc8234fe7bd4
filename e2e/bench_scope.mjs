// Banc d'essai navigateur du filtre global : une fois le fichier analysé,
// durée (mesurée dans la page) entre le clic sur « Appliquer » et l'affichage
// des indicateurs du pays choisi, puis celle du retour à tous les pays. Le
// filtre est appliqué par la session du worker, sans relire le fichier.
//
//   trunk build --release && node e2e/bench_scope.mjs [répétitions] [pays]
//
// DIST=dossier sert une autre build que `dist/` (pour comparer deux builds en
// alternance sur cette machine bruyante) ; FILE=chemin mesure un autre
// fichier que online_retail.csv.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const FILE = process.env.FILE ?? resolve(ROOT, '..', 'shared', 'data', 'online_retail', 'online_retail.csv');
const RUNS = Number(process.argv[2] ?? 7);
const COUNTRY = process.argv[3] ?? 'France';
if (!existsSync(FILE)) {
  console.error(`${FILE} absent`);
  process.exit(1);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const served = await startServer(process.env.DIST ?? join(ROOT, 'dist'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

/** Clique sur `button` (après avoir choisi `country`) et attend que le nombre de clients change. */
const timedApply = (page, country, button) =>
  page.evaluate(async ({ country, button }) => {
    const value = () => document.querySelector('[data-testid=kpi-customers] .kpi-value')?.textContent;
    const before = value();
    if (country !== null) {
      const select = document.querySelector('[data-testid=filter-country]');
      select.value = country;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    const started = performance.now();
    document.querySelector(`[data-testid=${button}]`).click();
    await new Promise((done) => {
      const check = () => (value() && value() !== before ? done() : requestAnimationFrame(check));
      check();
    });
    return performance.now() - started;
  }, { country, button });

const page = await browser.newPage();
await page.goto(served.url);
await page.getByTestId('file-input').setInputFiles(FILE);
await page.getByTestId('kpi-customers').waitFor({ timeout: 120_000 });
const apply = [];
const clear = [];
for (let run = 0; run < RUNS; run += 1) {
  apply.push(await timedApply(page, COUNTRY, 'filter-apply'));
  clear.push(await timedApply(page, null, 'filter-clear'));
  if (process.env.VERBOSE) console.error(JSON.stringify({ apply: apply.at(-1), clear: clear.at(-1) }));
}
console.log(`| fichier | pays | filtre appliqué (médiane de ${RUNS}) | retour à tous les pays |`);
console.log('|---|---|---|---|');
console.log(`| ${FILE.split('/').pop()} | ${COUNTRY} | ${median(apply).toFixed(0)} ms | ${median(clear).toFixed(0)} ms |`);
await browser.close();
served.server.close();
