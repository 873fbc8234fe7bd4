// La politique de sécurité de la page : aucun script en ligne hors le script
// d'amorçage de la build (autorisé par son empreinte, sans 'unsafe-inline'),
// base-uri et form-action fermés, aucune connexion vers un autre hôte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBench, DIST } from './harness.mjs';

const bench = useBench();

test('la build n’autorise aucun script en ligne sauf le sien, ni base ni formulaire', async () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const policy = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
  assert.ok(policy, 'politique absente de dist/index.html');
  const directives = Object.fromEntries(
    policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
  );
  assert.ok(!directives['script-src'].includes("'unsafe-inline'"), policy);
  assert.ok(directives['script-src'].some((v) => v.startsWith("'sha256-")), policy);
  assert.deepEqual(directives['base-uri'], ["'none'"]);
  assert.deepEqual(directives['form-action'], ["'none'"]);
  assert.deepEqual(directives['connect-src'], ["'self'"]);

  const { context, page, errors } = await bench.newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  // L'application démarre et analyse sans une seule violation de la politique.
  assert.deepEqual(errors, []);
  // Un script injecté dans la page ne s'exécute pas…
  const injected = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.head.append(script);
    return window.__injected ?? false;
  });
  assert.equal(injected, false, 'un script en ligne injecté a été exécuté');
  // … et la page ne peut rien envoyer à un autre hôte.
  const sent = await page.evaluate(() =>
    fetch('https://example.com/collect', { method: 'POST', body: 'x' }).then(
      () => 'envoyé',
      () => 'refusé',
    ),
  );
  assert.equal(sent, 'refusé');
  await context.close();
});

test('chaque worker (analyse, second worker, paniers) est sous la politique de la page : rien ne part vers un autre hôte', async () => {
  const { context, page } = await bench.newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  // La page des paniers lance le worker des paniers.
  await page.goto(`${bench.served.url}#/recommendations`);
  await page.getByTestId('basket-summary').waitFor({ timeout: 60_000 });
  // Les trois workers : celui d'analyse, le second (lecture à deux) et
  // celui des paniers.
  for (let waited = 0; page.workers().length < 3 && waited < 20_000; waited += 100) {
    await page.waitForTimeout(100);
  }
  const seen = {};
  for (const worker of page.workers()) {
    const role = await worker.evaluate(() => self.PANIER_ROLE);
    // Le refus vient de la politique (violation de connect-src), pas du réseau.
    seen[role] = await worker.evaluate(
      () =>
        new Promise((resolve) => {
          let violated = null;
          self.addEventListener('securitypolicyviolation', (event) => {
            violated = event.violatedDirective;
          });
          fetch('https://example.com/collect', { method: 'POST', body: 'x' }).then(
            () => resolve({ sent: true, violated }),
            () => setTimeout(() => resolve({ sent: false, violated }), 50),
          );
        }),
    );
  }
  const refused = { sent: false, violated: 'connect-src' };
  assert.deepEqual(seen, { '': refused, helper: refused, miner: refused });
  await context.close();
});

test('la page Confidentialité dit ce qui est gardé et « Tout oublier » efface tout', async () => {
  const { context, page, errors } = await bench.newPage('en-US');
  await page.goto(bench.served.url);
  // Une visite : le choix de langue mémorisé, le service worker et son cache.
  await page.locator('.lang-switch button[lang="fr"]').click();
  await page.getByTestId('theme-switch').selectOption('dark');
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
  const stored = () =>
    page.evaluate(async () => ({
      keys: Object.keys(localStorage).filter((key) => key.startsWith('panier.')),
      caches: (await caches.keys()).filter((name) => name.startsWith('panier-')),
      workers: (await navigator.serviceWorker.getRegistrations()).length,
    }));
  const before = await stored();
  assert.deepEqual(before.keys.sort(), ['panier.lang', 'panier.theme']);
  assert.equal(before.caches.length, 1);
  assert.equal(before.workers, 1);
  // Une marque dans le cache de l'application : partie, si le cache est effacé.
  await page.evaluate(async (name) => (await caches.open(name)).put('./marque', new Response('x')), before.caches[0]);
  await page.locator('nav a[data-view="privacy"]').click();
  const list = await page.getByTestId('privacy-stored').textContent();
  assert.match(list, /panier\.lang/);
  assert.match(list, /panier\.theme/);
  assert.match(list, /Cache Storage/);
  await page.getByTestId('forget').click();
  await page.getByTestId('forgotten').waitFor({ timeout: 30_000 });
  // Rechargée : plus de choix de langue gardé (rien n'est écrit sans un geste
  // de l'utilisateur), et le cache d'avant est parti — le service worker
  // remet en cache les seuls fichiers de l'application.
  const after = await stored();
  assert.deepEqual(after.keys, []);
  const marked = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      if (await (await caches.open(name)).match('./marque')) return true;
    }
    return false;
  });
  assert.equal(marked, false, 'le cache d’avant « Tout oublier » est toujours là');
  assert.deepEqual(errors, []);
  await context.close();
});
