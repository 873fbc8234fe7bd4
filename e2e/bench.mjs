// Banc d'essai navigateur : durées mesurées par le worker (performance.now())
// pour chaque étape, et durée totale vue de la page (du choix du fichier à
// l'apparition des indicateurs, mesurée dans la page), dans le Chromium de
// Debian.
//
//   trunk build --release && node e2e/bench.mjs [répétitions] [attente en ms]
//
// Variables : ONLY=latin1 ne mesure que les cas dont le nom contient ce mot ;
// VERBOSE=1 affiche aussi chaque exécution (JSON, sur stderr), pas seulement
// la médiane — utile quand les mesures varient d'une exécution à l'autre ;
// DIST=dossier sert une autre build que `dist/` (par exemple celle d'un commit
// plus ancien, pour comparer les deux en alternance sur la même machine) ;
// ONE_WORKER=1 empêche le second worker de se charger (le serveur refuse son
// script, `worker.js?helper`) : la même build lit alors chaque fichier d'un trait, dans le seul
// worker d'analyse — de quoi comparer la lecture à deux à la lecture seule.
//
// L'attente (0 par défaut) sépare le survol de la zone d'import du choix du
// fichier, comme un utilisateur qui va chercher son export : le worker a alors
// démarré et répété le pipeline sur une petite démo (code optimisé par le
// navigateur).
//
// LARGE=1 ajoute une grande boutique générée par la CLI (`panier demo
// --products 50000 --customers 43478` : 50 000 références, environ 2 millions
// de lignes, 170 Mo), écrite une fois dans le dossier temporaire ; la CLI est
// celle de PANIER_CLI, ou target/release/panier.
//
// Affiche un tableau Markdown (médiane des répétitions) pour BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'online_retail');
const RUNS = Number(process.argv[2] ?? 5);
const WAIT_MS = Number(process.argv[3] ?? 0);
const ONLY = process.env.ONLY ?? '';
const allCases = [
  { name: 'démo (générée dans le worker)', file: null },
  { name: 'online_retail.csv (47 Mo, UTF-8)', file: join(DATA, 'online_retail.csv') },
  { name: 'online_retail_latin1.csv (45 Mo, Latin-1)', file: join(DATA, 'online_retail_latin1.csv') },
  { name: 'online_retail.xlsx (25 Mo)', file: join(DATA, 'online_retail.xlsx') },
];
if (process.env.LARGE) {
  const file = join(tmpdir(), 'panier-large-50k.csv');
  if (!existsSync(file)) {
    const cli = process.env.PANIER_CLI ?? join(ROOT, 'target', 'release', 'panier');
    execFileSync(cli, ['demo', '--out', file, '--products', '50000', '--customers', '43478']);
  }
  allCases.push({ name: 'grande boutique (50 000 produits, 2 M lignes, 170 Mo)', file });
}
const cases = allCases.filter(({ name }) => name.includes(ONLY));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const served = await startServer(process.env.DIST ?? join(ROOT, 'dist'), {
  refuse: process.env.ONE_WORKER ? (url) => url.search === '?helper' : undefined,
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const version = browser.version();
console.log(`| cas | lecture (ou génération) | aperçu | analyse des lignes | jonction des moitiés | nettoyage | import + nettoyage | synthèse | RFM | paniers | vue d'ensemble | total vu de la page | plus longue pause du fil principal | mémoire wasm des workers |`);
console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`);
for (const { name, file } of cases) {
  if (file && !existsSync(file)) {
    console.log(`| ${name} | absent | | | | | | | | | | | | |`);
    continue;
  }
  const samples = [];
  for (let run = 0; run < RUNS; run += 1) {
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.evaluate(() => {
      window.__gap = 0;
      let last = performance.now();
      const tick = (now) => {
        window.__gap = Math.max(window.__gap, now - last);
        last = now;
        if (!window.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      // Total vu de la page, mesuré dans la page elle-même : du choix du
      // fichier (ou du clic sur la démo) à l'apparition des indicateurs,
      // sans la latence du pilotage par Playwright.
      const chosen = (event) => {
        window.__chosen ??= event.timeStamp;
      };
      document.addEventListener('change', chosen, true);
      document.addEventListener('click', (event) => {
        if (event.target.closest?.('[data-testid=demo-button]')) chosen(event);
      }, true);
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid=timings]')) {
          window.__shown = performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    if (WAIT_MS > 0) {
      // L'utilisateur va chercher son fichier pendant que le worker, lancé
      // avec la page, se prépare.
      await page.locator('.drop-zone').hover();
      await page.waitForTimeout(WAIT_MS);
    }
    if (file) await page.getByTestId('file-input').setInputFiles(file);
    else await page.getByTestId('demo-button').click();
    await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 300_000 });
    const total = await page.evaluate(() => window.__shown - window.__chosen);
    const gap = await page.evaluate(() => {
      window.__stop = true;
      return window.__gap;
    });
    const stages = await page.$$eval('[data-testid=timings] .timing', (spans) =>
      Object.fromEntries(spans.map((s) => [s.dataset.stage, Number(s.dataset.ms)])),
    );
    const memory = Number(await page.getByTestId('timings').getAttribute('data-memory'));
    const helper = Number(await page.getByTestId('timings').getAttribute('data-helper-memory'));
    // Import + nettoyage : du début de la lecture à la fin du nettoyage.
    const importClean = ['read', 'generate', 'inspect', 'parse', 'join', 'clean']
      .reduce((sum, key) => sum + (stages[key] ?? 0), 0);
    samples.push({ ...stages, importClean, total, gap, memory, helper });
    await page.close();
  }
  if (process.env.VERBOSE) {
    for (const sample of samples) console.error(JSON.stringify(sample));
  }
  const cell = (key) => `${Math.round(median(samples.map((s) => s[key] ?? 0)))} ms`;
  const mb = (key) => (median(samples.map((s) => s[key])) / 1e6).toFixed(0);
  const memory = samples[0].helper > 0 ? `${mb('memory')} + ${mb('helper')} Mo` : `${mb('memory')} Mo`;
  console.log(`| ${name} | ${cell(file ? 'read' : 'generate')} | ${cell('inspect')} | ${cell('parse')} | ${cell('join')} | ${cell('clean')} | **${cell('importClean')}** | ${cell('summarize')} | ${cell('rfm')} | ${cell('baskets')} | ${cell('overview')} | ${cell('total')} | ${cell('gap')} | ${memory} |`);
}
console.log(`\nChromium ${version}, médiane de ${RUNS} exécutions, fichier choisi ${WAIT_MS} ms après l'ouverture de la page.`);
await browser.close();
served.server.close();
