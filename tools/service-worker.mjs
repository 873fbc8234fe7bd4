// Écrit `sw.js`, le service worker qui garde l'application hors ligne, dans le
// dossier de la build en cours (crochet `post_build` de Trunk, voir
// Trunk.toml ; `TRUNK_STAGING_DIR`, ou le dossier donné en argument).
//
// Le service worker met en cache, à son installation, **chaque fichier de la
// build** (page, application, workers, wasm, styles, icônes) sous un nom de
// cache qui dépend de leur contenu : une nouvelle build, c'est un nouveau
// `sw.js`, donc un nouveau cache complet, et l'ancien est supprimé à
// l'activation. Aucune dépendance : Node seul.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!root) {
  console.error('service-worker.mjs : dossier de build absent (TRUNK_STAGING_DIR ou argument)');
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

const source = `// Généré par tools/service-worker.mjs à chaque build : ne pas modifier.
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
