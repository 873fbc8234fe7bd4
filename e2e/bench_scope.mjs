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
import { DIST, ONLINE_RETAIL, launchChromium, median } from './common.mjs';
import { startServer } from './server.mjs';

const FILE = process.env.FILE ?? ONLINE_RETAIL;
const RUNS = Number(process.argv[2] ?? 7);
const COUNTRY = process.argv[3] ?? 'France';
if (!existsSync(FILE)) {
  console.error(`${FILE} absent`);
  process.exit(1);
}

const served = await startServer(process.env.DIST ?? DIST);
const browser = await launchChromium();
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
