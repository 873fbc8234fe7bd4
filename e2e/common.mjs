// Ce que partagent les tests de bout en bout et les bancs d'essai : chemins,
// lancement de Chromium, médiane, et la mise en route d'un banc (build
// servie, navigateur, fichier Online Retail importé).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const ROOT = resolve(import.meta.dirname, '..');
export const DIST = join(ROOT, 'dist');
export const CLI = process.env.PANIER_CLI ?? join(ROOT, 'target', 'debug', 'panier');
export const ONLINE_RETAIL = resolve(ROOT, '..', 'shared', 'data', 'online_retail', 'online_retail.csv');

/** Arguments de Chromium : ni GPU, ni trafic de fond (mises à jour, synchro). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Lance Chromium (celui de Debian, ou `CHROMIUM`). */
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Médiane (l'élément du milieu, comme les tableaux de BENCHMARKS.md). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Banc d'essai : quitte en le disant si `file` manque, sinon sert la build
 * (`DIST` pour une autre que `dist/`) et lance Chromium.
 */
export async function startBench(file, serverOptions = {}) {
  if (!existsSync(file)) {
    console.log(`absent : ${file}`);
    process.exit(0);
  }
  const served = await startServer(process.env.DIST ?? DIST, serverOptions);
  const browser = await launchChromium();
  const stop = async () => {
    await browser.close();
    served.server.close();
  };
  return { served, browser, stop };
}

/**
 * Page neuve où `file` est importé, ouverte sur une partie des
 * recommandations (les associations par défaut). Attentes des bancs :
 * PAUSE=ms avant de choisir le fichier, READ=ms entre le tableau de bord et
 * la page (voir e2e/bench_evaluation.mjs).
 */
export async function openRecommendations(browser, served, file, tab = 'associations') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(served.url);
  if (process.env.PAUSE) await page.waitForTimeout(Number(process.env.PAUSE));
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 120_000 });
  if (process.env.READ) await page.waitForTimeout(Number(process.env.READ));
  await page.goto(`${served.url}#/recommendations/${tab}`);
  await page.getByTestId('basket-summary').waitFor();
  return page;
}

/**
 * Un montant comme l'application l'écrit en anglais, dans la devise que le
 * cœur a devinée (`overview.json` : `gbp`, `eur`…, ou `null`) : « £1,234.50 ».
 * Une seconde écriture, indépendante de `panier_core::numbers::money`.
 */
export function money(value, currency) {
  const number = Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: currency === 'jpy' ? 0 : 2,
    maximumFractionDigits: currency === 'jpy' ? 0 : 2,
  });
  const sign = value < 0 && /[1-9]/.test(number) ? '-' : '';
  const symbols = { eur: '€', gbp: '£', usd: '$', jpy: '¥', cad: 'CA$', aud: 'A$' };
  if (!currency) return `${sign}${number}`;
  if (symbols[currency]) return `${sign}${symbols[currency]}${number}`;
  return `${sign}${currency.toUpperCase()}\u00a0${number}`;
}
