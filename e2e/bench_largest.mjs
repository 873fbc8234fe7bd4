// Le plus gros CSV que le navigateur analyse : Online Retail répété jusqu'à
// la taille demandée (factures et clients renumérotés à chaque copie, pour
// une vraie boutique plus grande et non des doublons), importé dans
// Chromium. Affiche, pour chaque taille, le total vu de la page et la mémoire
// wasm du worker, ou le message d'erreur affiché ; puis ouvre la page
// Recommandations (mesure de la qualité sur l'historique, la plus gourmande
// après l'import) et dit si elle aboutit.
//
//   trunk build --release && node e2e/bench_largest.mjs 1.0 1.4 1.6
//
// Les tailles sont en Gio ; les fichiers sont écrits une fois dans le dossier
// temporaire (TMPDIR), puis réutilisés.
import { createWriteStream, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ONLINE_RETAIL, startBench } from './common.mjs';

const sizes = process.argv.slice(2).map(Number);

/** Écrit Online Retail répété jusqu'à `bytes` octets (copie k : facture et client préfixés). */
async function generate(file, bytes) {
  const [header, ...lines] = readFileSync(ONLINE_RETAIL, 'utf8').split('\n').filter(Boolean);
  const partial = `${file}.part`;
  const out = createWriteStream(partial);
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((ok) => out.once('drain', ok)));
  let written = 0;
  await write(`${header}\n`);
  for (let copy = 0; written < bytes; copy += 1) {
    const chunk = [];
    for (const line of lines) {
      const fields = line.split(',');
      const invoice = fields[0];
      fields[0] = invoice.startsWith('C') ? `C${copy}${invoice.slice(1)}` : `${copy}${invoice}`;
      // CustomerID est l'avant-dernier champ (les désignations citées peuvent contenir des virgules).
      const c = fields.length - 2;
      if (fields[c] !== '') fields[c] = `${copy}${fields[c]}`;
      chunk.push(fields.join(','));
      if (chunk.length === 10_000) {
        const text = `${chunk.join('\n')}\n`;
        written += Buffer.byteLength(text);
        await write(text);
        chunk.length = 0;
        if (written >= bytes) break;
      }
    }
    if (chunk.length && written < bytes) {
      const text = `${chunk.join('\n')}\n`;
      written += Buffer.byteLength(text);
      await write(text);
    }
  }
  await new Promise((ok) => out.end(ok));
  renameSync(partial, file);
}

const { served, browser, stop } = await startBench(ONLINE_RETAIL);
console.log('| taille demandée | fichier | résultat | total vu de la page | mémoire wasm du worker (+ second worker) | page Recommandations |');
console.log('|---|---|---|---|---|---|');
for (const gib of sizes) {
  const file = join(tmpdir(), `panier-largest-${gib}GiB.csv`);
  if (!existsSync(file)) await generate(file, Math.round(gib * 2 ** 30));
  const bytes = statSync(file).size;
  const page = await browser.newPage();
  await page.goto(served.url);
  const started = Date.now();
  await page.getByTestId('file-input').setInputFiles(file);
  const done = page.getByTestId('timings').or(page.getByTestId('analysis-error')).or(page.getByTestId('worker-error'));
  await done.first().waitFor({ state: 'attached', timeout: 900_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let result;
  let memory = '';
  let recommendations = '';
  if (await page.getByTestId('timings').count()) {
    result = 'analysé';
    const timings = page.getByTestId('timings');
    const mb = async (name) => (Number(await timings.getAttribute(name)) / 2 ** 20).toFixed(0);
    memory = `${await mb('data-memory')} + ${await mb('data-helper-memory')} Mio`;
    await page.goto(`${served.url}#/recommendations/quality`);
    const quality = page.getByTestId('quality-split').or(page.getByTestId('quality-error')).or(page.getByTestId('worker-error'));
    try {
      await quality.first().waitFor({ timeout: 600_000 });
      recommendations = (await page.getByTestId('quality-split').count())
        ? `mesurée en ${(Number(await page.getByTestId('quality-split').getAttribute('data-ms')) / 1000).toFixed(1)} s`
        : `échec : ${(await quality.first().innerText()).replace(/\s+/g, ' ').slice(0, 120)}`;
    } catch {
      recommendations = 'sans réponse en 10 min';
    }
  } else {
    result = `refusé : ${(await done.first().innerText()).replace(/\s+/g, ' ').slice(0, 160)}`;
  }
  console.log(`| ${gib} Gio | ${(bytes / 2 ** 30).toFixed(2)} Gio | ${result} | ${seconds} s | ${memory} | ${recommendations} |`);
  await page.close();
}
console.log(`\nChromium ${browser.version()}.`);
await stop();
