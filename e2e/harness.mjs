// Le banc commun des tests de bout en bout : la build release servie sur
// 127.0.0.1 sous un sous-chemin, le Chromium de Debian, et des pages dont
// chaque requête est vérifiée — toute requête vers un autre hôte que
// 127.0.0.1 est refusée, notée, et fait échouer les tests à la fin.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launchChromium } from './common.mjs';
import { startServer } from './server.mjs';

export { ROOT, DIST, CLI } from './common.mjs';

/**
 * Installe le banc pour le fichier de tests qui l'appelle : serveur et
 * navigateur avant les tests, vérification des requêtes après. Rend un objet
 * dont `served` et `browser` sont remplis une fois les tests commencés.
 */
export function useBench() {
  const bench = { served: null, browser: null, foreignRequests: [] };
  before(async () => {
    assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ absent : lancez `trunk build --release`');
    bench.served = await startServer(DIST);
    bench.browser = await launchChromium();
  });
  after(async () => {
    await bench.browser?.close();
    bench.served?.server.close();
    assert.deepEqual(bench.foreignRequests, [], 'des requêtes ont quitté 127.0.0.1');
  });
  /**
   * Nouvelle page dont chaque requête est vérifiée : 127.0.0.1 seulement.
   * `options` complète celles du contexte (par exemple `serviceWorkers:
   * 'block'` pour un test qui simule un serveur en panne : le service worker
   * servirait sinon les fichiers depuis son cache).
   */
  bench.newPage = async (locale = 'en-US', options = {}) => {
    const context = await bench.browser.newContext({ locale, viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') {
        return route.continue();
      }
      bench.foreignRequests.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    return { context, page, errors };
  };
  return bench;
}
