// Banc d'essai de l'analyse des paniers dans Chromium, sur les 18 532
// paniers d'Online Retail : recherche des itemsets et génération des règles
// (et de leurs redondances) à plusieurs supports, durées mesurées dans le
// worker des paniers (performance.now()), et du clic au résultat affiché
// (préparation des paniers, envoi au worker des paniers, retour du résultat
// et rendu compris), médiane des répétitions.
//
//   trunk build --release && node e2e/bench_baskets.mjs [répétitions] [supports en %…]
//
// DIST=dossier sert une autre build que `dist/` (comparaison en alternance).
import { ONLINE_RETAIL, median, openRecommendations, startBench } from './common.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const SUPPORTS = process.argv.length > 3 ? process.argv.slice(3) : ['1', '0.5', '0.1'];
const { served, browser, stop } = await startBench(ONLINE_RETAIL);
console.log('| support | algorithme | itemsets | règles | recherche des itemsets | règles et redondances | du clic au résultat affiché | mémoire wasm du worker des paniers après |');
console.log('|---|---|---|---|---|---|---|---|');
for (const support of SUPPORTS) {
  const samples = [];
  for (let run = 0; run < RUNS; run += 1) {
    // Une page neuve par mesure : la mémoire du worker n'a vu que l'analyse.
    const page = await openRecommendations(browser, served, ONLINE_RETAIL, 'quality');
    // La page lance la mesure de la qualité des recommandations : on attend
    // qu'elle ait fini pour ne mesurer que la recherche.
    await page.getByTestId('quality-table').waitFor({ timeout: 120_000 });
    await page.getByTestId('tab-associations').click();
    await page.getByTestId('min-support').fill(support);
    const clicked = Date.now();
    await page.getByTestId('mine').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="mining"]'), null, { timeout: 120_000 });
    const shown = Date.now() - clicked;
    const summary = page.getByTestId('basket-summary');
    const text = await page.getByTestId('basket-method').textContent();
    samples.push({
      mining: Number(await summary.getAttribute('data-mining-ms')),
      rules: Number(await summary.getAttribute('data-rules-ms')),
      memory: Number(await summary.getAttribute('data-memory')),
      itemsets: await summary.getAttribute('data-itemsets'),
      count: await summary.getAttribute('data-rules'),
      algorithm: (text.match(/(Apriori|FP-growth|Eclat)/) ?? ['?'])[0],
      capped: await page.getByTestId('rules-error').count(),
      shown,
    });
    await page.close();
  }
  const s = samples[0];
  const rules = s.capped ? 'plafond (1 000 000) atteint, message affiché' : s.count;
  console.log(`| ${support} % | ${s.algorithm} | ${s.itemsets} | ${rules} | ${median(samples.map((x) => x.mining)).toFixed(1)} ms | ${median(samples.map((x) => x.rules)).toFixed(1)} ms | ${median(samples.map((x) => x.shown)).toFixed(0)} ms | ${(median(samples.map((x) => x.memory)) / 1e6).toFixed(0)} Mo |`);
}
console.log(`\nChromium ${browser.version()}, médiane de ${RUNS} exécutions.`);
await stop();
