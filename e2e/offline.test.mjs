// Hors ligne : après une visite, l'application se recharge, lance la démo et
// importe le fichier de 47 Mo sans réseau — le serveur est arrêté, et le
// navigateur mis hors ligne. Le service worker (sw.js, écrit à chaque build)
// sert alors chaque fichier de la build depuis son cache, workers compris.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ONLINE_RETAIL, launchChromium } from './common.mjs';
import { startServer } from './server.mjs';

const en = (n) => n.toLocaleString('en-US');

test('après une visite, tout marche sans réseau : rechargement, démo, fichier de 47 Mo', async (t) => {
  assert.ok(existsSync(join(DIST, 'sw.js')), 'dist/sw.js absent : la build doit l’écrire (Trunk.toml)');
  const served = await startServer(DIST);
  const browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const foreign = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.hostname !== '127.0.0.1') foreign.push(url.href);
  });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(String(error)));
    // Première visite, en ligne : le service worker s'installe, met la build
    // en cache et prend la page en main.
    await page.goto(served.url);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    const caches = await page.evaluate(() => caches.keys());
    assert.equal(caches.length, 1, `un seul cache attendu : ${caches}`);
    assert.match(caches[0], /^panier-[0-9a-f]{16}$/);
    const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), caches[0]);
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    for (const file of ['index.html', 'worker.js', 'worker_bg.wasm', 'worker_loader.js']) {
      assert.ok(cached.some((path) => path.endsWith(`/${file}`)), `${file} absent du cache`);
      assert.ok(sw.includes(`"./${file}"`));
    }
    // Plus de réseau : le serveur s'arrête, le navigateur passe hors ligne.
    served.server.closeAllConnections();
    await new Promise((resolve) => served.server.close(resolve));
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('demo-button').click();
    await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
    // La démo (3 000 clients générés, moins ceux que le nettoyage écarte).
    assert.match(await page.getByTestId('kpi-customers').locator('.kpi-value').textContent(), /^2,9\d\d$/);
    if (!existsSync(ONLINE_RETAIL)) {
      t.skip(`needs ../shared : ${ONLINE_RETAIL} absent (la démo hors ligne a été vérifiée)`);
      return;
    }
    // Une seconde visite hors ligne (page d'accueil), puis le vrai fichier.
    await page.goto(served.url);
    await page.getByTestId('file-input').setInputFiles(ONLINE_RETAIL);
    await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 120_000 });
    assert.equal(await page.getByTestId('kpi-customers').locator('.kpi-value').textContent(), en(4338));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    served.server.close();
    assert.deepEqual(foreign, [], 'des requêtes ont quitté 127.0.0.1');
  }
});
