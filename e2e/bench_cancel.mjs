// Banc d'essai d'« Annuler » pendant une recherche d'associations, dans
// Chromium, sur Online Retail (47 Mo) à 0,1 % de support : délai entre le
// clic sur « Annuler » et la première réponse du worker à une autre demande
// (la page suivante des règles), mesuré dans la page (performance.now()).
// Médiane des répétitions, une page neuve par mesure.
//
//   trunk build --release && node e2e/bench_cancel.mjs [répétitions] [support en %] [attente avant d'annuler, ms]
import { ONLINE_RETAIL, median, openRecommendations, startBench } from './common.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const SUPPORT = process.argv[3] ?? '0.1';
const WAIT_MS = Number(process.argv[4] ?? 300);
const { served, browser, stop } = await startBench(ONLINE_RETAIL);
const samples = [];
for (let run = 0; run < RUNS; run += 1) {
  const page = await openRecommendations(browser, served, ONLINE_RETAIL);
  await page.waitForFunction(() => document.querySelector('[data-testid=rules-table] tbody tr'));
  await page.getByTestId('min-support').fill(SUPPORT);
  await page.getByTestId('mine').click();
  await page.getByTestId('mining').waitFor();
  await page.waitForTimeout(WAIT_MS);
  const ms = await page.evaluate(() => new Promise((done) => {
    const row = () => document.querySelector('[data-testid=rules-table] tbody tr')?.textContent;
    const before = row();
    const start = performance.now();
    document.querySelector('[data-testid=cancel-mining]').click();
    document.querySelector('[data-testid=rules-next]').click();
    const poll = () => (row() && row() !== before ? done(performance.now() - start) : requestAnimationFrame(poll));
    poll();
  }));
  samples.push(ms);
  await page.close();
}
console.log(`« Annuler » à ${SUPPORT} % (après ${WAIT_MS} ms de recherche) → réponse suivante du worker : médiane ${median(samples).toFixed(1)} ms (${samples.map((x) => x.toFixed(0)).join(', ')} ms)`);
console.log(`Chromium ${browser.version()}, ${RUNS} pages neuves.`);
await stop();
