// Banc d'essai de la segmentation dans Chromium, sur Online Retail complet
// (397 884 lignes nettoyées, 4 338 clients) :
//
// - durée du calcul RFM dans le worker (performance.now()), mesurée à chaque
//   « Recalculer » ;
// - nuage 3D : durée d'un dessin (4 338 points), et dessins par seconde
//   pendant un glisser continu, d'abord au rythme de l'écran
//   (requestAnimationFrame), puis aussi vite que la page le permet.
//
//   trunk build --release && node e2e/bench_rfm.mjs [répétitions]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const FILE = resolve(ROOT, '..', 'shared', 'data', 'online_retail', 'online_retail.csv');
const RUNS = Number(process.argv[2] ?? 7);
if (!existsSync(FILE)) {
  console.log(`absent : ${FILE}`);
  process.exit(0);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const served = await startServer(join(ROOT, 'dist'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(served.url);
await page.getByTestId('file-input').setInputFiles(FILE);
await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 120_000 });
await page.goto(`${served.url}#/segmentation`);
await page.getByTestId('rfm-summary').waitFor();

// Calcul RFM : premier calcul (avec l'analyse), puis à chaque « Recalculer ».
const rfm = [Number(await page.getByTestId('rfm-summary').getAttribute('data-ms'))];
for (let run = 1; run < RUNS; run += 1) {
  // Le bouton reste désactivé tant que le worker calcule.
  await page.getByTestId('rfm-apply').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="rfm-apply"]').disabled);
  rfm.push(Number(await page.getByTestId('rfm-summary').getAttribute('data-ms')));
}

// Glisser continu sur le nuage, piloté dans la page.
const drag = (paced) => page.evaluate(async (paced) => {
  const canvas = document.querySelector('[data-testid="rfm-scatter"]');
  const rect = canvas.getBoundingClientRect();
  const draws = () => Number(canvas.dataset.draws);
  const at = (i) => ({ clientX: rect.left + 200 + (i % 200), clientY: rect.top + 200 + (i % 50), pointerId: 1, bubbles: true, buttons: 1 });
  canvas.dispatchEvent(new PointerEvent('pointerdown', at(0)));
  const start = performance.now();
  const first = draws();
  let i = 0;
  const drawMs = [];
  while (performance.now() - start < 2000) {
    i += 1;
    canvas.dispatchEvent(new PointerEvent('pointermove', at(i)));
    await new Promise((resolve) => (paced ? requestAnimationFrame(resolve) : setTimeout(resolve, 0)));
    drawMs.push(Number(canvas.dataset.drawMs));
  }
  const elapsed = performance.now() - start;
  canvas.dispatchEvent(new PointerEvent('pointerup', at(i)));
  drawMs.sort((a, b) => a - b);
  return { perSecond: ((draws() - first) * 1000) / elapsed, drawMs: drawMs[Math.floor(drawMs.length / 2)] };
}, paced);
const paced = await drag(true);
const unpaced = await drag(false);

console.log('| mesure | valeur |');
console.log('|---|---|');
console.log(`| calcul RFM dans le worker (médiane de ${RUNS}) | ${median(rfm).toFixed(1)} ms (min ${Math.min(...rfm).toFixed(1)}, max ${Math.max(...rfm).toFixed(1)}) |`);
console.log(`| dessin du nuage 3D, 4 338 points (médiane) | ${unpaced.drawMs.toFixed(1)} ms |`);
console.log(`| dessins par seconde, glisser au rythme de l'écran | ${paced.perSecond.toFixed(0)} /s |`);
console.log(`| dessins par seconde, glisser sans attendre l'écran | ${unpaced.perSecond.toFixed(0)} /s |`);
console.log(`\nChromium ${browser.version()}.`);
await browser.close();
served.server.close();
