// Banc d'essai de la mesure des recommandations dans Chromium (page
// Recommandations, Online Retail) : deux apprentissages, la recherche des
// paramètres en validation, puis le test. La durée est celle que le worker
// mesure (performance.now(), `data-ms` de `quality-split`).
//
//   trunk build --release && node e2e/bench_evaluation.mjs [répétitions]
//
// Par défaut, le fichier est choisi dès l'ouverture de la page et la page
// « Qualité » ouverte dès le tableau de bord : le pire cas (le worker n'a pas
// encore répété le pipeline sur sa petite démo). PAUSE=ms attend avant de
// choisir le fichier, comme un utilisateur qui va chercher son export (le
// worker a alors répété le pipeline et la mesure) ; READ=ms attend entre le
// tableau de bord et la page « Qualité ».
//
// DISTS=dossier1,dossier2 compare plusieurs builds **en alternance** (une
// mesure de chacune à tour de rôle : la machine est bruyante) ; sans DISTS,
// la build de DIST ou de `dist/`.
import { ONLINE_RETAIL, DIST, median, openRecommendations, launchChromium } from './common.mjs';
import { existsSync } from 'node:fs';
import { startServer } from './server.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const dists = (process.env.DISTS ?? process.env.DIST ?? DIST).split(',');
if (!existsSync(ONLINE_RETAIL)) {
  console.log(`absent : ${ONLINE_RETAIL}`);
  process.exit(0);
}
const servers = [];
for (const dist of dists) servers.push(await startServer(dist));
const browser = await launchChromium();
const samples = dists.map(() => []);
for (let run = 0; run < RUNS; run += 1) {
  for (const [k, served] of servers.entries()) {
    // Une page neuve par mesure : le worker n'a vu que l'analyse.
    const page = await openRecommendations(browser, served, ONLINE_RETAIL, 'quality');
    const split = page.getByTestId('quality-split');
    await split.waitFor({ timeout: 120_000 });
    samples[k].push(Number(await split.getAttribute('data-ms')));
    await page.close();
  }
}
console.log('| build | mesure des recommandations (médiane) | toutes les mesures |');
console.log('|---|---|---|');
for (const [k, dist] of dists.entries()) {
  const all = samples[k].map((ms) => ms.toFixed(0)).join(' / ');
  console.log(`| ${dist} | ${median(samples[k]).toFixed(0)} ms | ${all} |`);
}
console.log(`\nChromium ${browser.version()}, ${RUNS} mesures par build, en alternance.`);
await browser.close();
for (const served of servers) served.server.close();
