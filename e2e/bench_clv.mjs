// Durée de la valeur client dans Chromium (ajustement des deux modèles,
// prévisions par client et validation 80/20), sur Online Retail : la mesure
// du worker (`data-ms` de `clv-fit`). Usage : node e2e/bench_clv.mjs [passes]
import { existsSync } from 'node:fs';
import { ONLINE_RETAIL, DIST, median, launchChromium } from './common.mjs';
import { startServer } from './server.mjs';

const RUNS = Number(process.argv[2] ?? 5);
if (!existsSync(ONLINE_RETAIL)) {
  console.log(`absent : ${ONLINE_RETAIL}`);
  process.exit(0);
}
const served = await startServer(process.env.DIST ?? DIST);
const browser = await launchChromium();
const samples = [];
const fits = [];
for (let run = 0; run < RUNS; run += 1) {
  const page = await browser.newPage({ locale: 'en-US' });
  await page.goto(served.url);
  await page.getByTestId('file-input').setInputFiles(ONLINE_RETAIL);
  await page.getByTestId('kpi-customers').waitFor({ timeout: 120_000 });
  await page.evaluate(() => { location.hash = '#/segmentation'; });
  const fit = page.getByTestId('clv-fit');
  await fit.waitFor({ state: 'attached', timeout: 120_000 });
  samples.push(Number(await fit.getAttribute('data-ms')));
  // Un autre horizon : la validation est gardée, seuls l'ajustement des
  // deux modèles et les prévisions par client sont refaits.
  await page.getByTestId('clv-horizon').fill('91');
  await page.getByTestId('clv-horizon').press('Enter');
  await page.waitForFunction(() => /\(91 days\)$/.test(document.querySelector('[data-testid=clv-expected] .kpi-value')?.textContent ?? ''), null, { timeout: 60_000 });
  fits.push(Number(await page.getByTestId('clv-fit').getAttribute('data-ms')));
  await page.close();
}
console.log(`valeur client (ajustement + prévisions + validation), médiane ${median(samples).toFixed(0)} ms ; toutes : ${samples.map((ms) => ms.toFixed(0)).join(' / ')}`);
console.log(`ajustement des deux modèles et prévisions seuls (validation gardée), médiane ${median(fits).toFixed(0)} ms ; toutes : ${fits.map((ms) => ms.toFixed(0)).join(' / ')}`);
console.log(`Chromium ${browser.version()}, ${RUNS} passes.`);
await browser.close();
served.server.close();
