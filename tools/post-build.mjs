// Après chaque build (crochet `post_build` de Trunk, voir Trunk.toml), dans le
// dossier de la build en cours (`TRUNK_STAGING_DIR`, ou le dossier donné en
// argument), deux retouches, dans cet ordre :
//
// 1. **Politique de sécurité sans `'unsafe-inline'`** : le script d'amorçage
//    que Trunk écrit dans `index.html` est autorisé par son empreinte SHA-256
//    (`'sha256-…'`), calculée ici ; tout autre script en ligne (injecté) est
//    refusé par le navigateur. `base-uri 'none'` et `form-action 'none'`
//    complètent la politique.
// 2. **`sw.js`**, le service worker qui garde l'application hors ligne. Il met
//    en cache, à son installation, **chaque fichier de la
// build** (page, application, workers, wasm, styles, icônes) sous un nom de
// cache qui dépend de leur contenu : une nouvelle build, c'est un nouveau
// `sw.js`, donc un nouveau cache complet, et l'ancien est supprimé à
// l'activation. Aucune dépendance : Node seul.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!root) {
  console.error('post-build.mjs : dossier de build absent (TRUNK_STAGING_DIR ou argument)');
  process.exit(1);
}

/** Tous les fichiers sous `dir`, chemins relatifs à `root` avec des `/`. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return [relative(root, path).split(sep).join('/')];
  });
}

/** Étape 1 : empreintes des scripts en ligne de `index.html` dans sa politique. */
function lockInlineScripts() {
  const path = join(root, 'index.html');
  const html = readFileSync(path, 'utf8');
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`,
  );
  let replaced = 0;
  const locked = html.replace(/(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/, (_, open, policy, close) => {
    replaced += 1;
    const directives = policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => (d.startsWith('script-src ') ? [...d.split(/\s+/).filter((s) => s !== "'unsafe-inline'"), ...hashes].join(' ') : d))
      .filter((d) => !d.startsWith('base-uri') && !d.startsWith('form-action'));
    return `${open}${[...directives, "base-uri 'none'", "form-action 'none'"].join('; ')}${close}`;
  });
  if (replaced !== 1) {
    console.error('post-build.mjs : politique de sécurité (meta Content-Security-Policy) absente de index.html');
    process.exit(1);
  }
  writeFileSync(path, locked);
  console.log(`index.html : ${hashes.length} script(s) en ligne autorisé(s) par empreinte`);
}

lockInlineScripts();

const precached = files(root)
  .filter((path) => path !== 'sw.js')
  .sort();
const hash = createHash('sha256');
for (const path of precached) {
  hash.update(path);
  hash.update('\0');
  hash.update(readFileSync(join(root, path)));
}
const version = hash.digest('hex').slice(0, 16);
// `./` : la page elle-même, demandée par l'adresse du dossier.
const urls = ['./', ...precached.map((path) => `./${path}`)];

const source = `// Généré par tools/post-build.mjs à chaque build : ne pas modifier.
// Service worker de Panier : l'application entière, mise en cache à
// l'installation, reste utilisable sans réseau. En ligne, chaque fichier vient
// du réseau (une nouvelle version se voit tout de suite) ; sans réseau, du
// cache de cette build — page, workers et wasm d'une même version.
const CACHE = 'panier-${version}';
const FILES = ${JSON.stringify(urls, null, 2)};

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith('panier-') && key !== CACHE).map((key) => caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).catch(async (error) => {
      const cache = await caches.open(CACHE);
      const cached =
        (await cache.match(request)) ??
        (await cache.match(request, { ignoreSearch: true })) ??
        (request.mode === 'navigate' ? await cache.match('./') : undefined);
      if (cached) return cached;
      throw error;
    }),
  );
});
`;
writeFileSync(join(root, 'sw.js'), source);
console.log(`sw.js : ${urls.length} fichiers en cache (panier-${version})`);
