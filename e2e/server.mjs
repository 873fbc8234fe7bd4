// Serveur statique minimal pour les tests de bout en bout : sert `dist/` sous
// un sous-chemin (comme GitHub Pages) sur 127.0.0.1, plus une page hôte qui
// embarque l'application dans une iframe. Aucune dépendance.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** Sous-chemin sous lequel l'application est servie. */
export const BASE = '/deep/sub/path/panier/';

/**
 * Démarre le serveur sur un port libre de 127.0.0.1.
 * @param {string} root dossier `dist/` produit par Trunk
 * @param {{cache?: boolean, refuse?: (url: URL) => boolean}} options `cache` : en-têtes de
 *   cache de GitHub Pages ; `refuse` : adresses à refuser (404), par exemple le chargeur du
 *   second worker pour mesurer la lecture dans un seul worker
 */
export async function startServer(root, options = {}) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname === '/embed.html') {
      response.writeHead(200, { 'content-type': TYPES['.html'] });
      response.end(`<!doctype html><title>Portail</title><h1>Portail marketing</h1>
        <iframe id="panier" src="${BASE}" style="width:1200px;height:900px"></iframe>`);
      return;
    }
    if (url.pathname === '/embed-sandboxed.html') {
      // Portail qui enferme l'application sans allow-same-origin : le
      // navigateur y interdit les workers.
      response.writeHead(200, { 'content-type': TYPES['.html'] });
      response.end(`<!doctype html><title>Portail</title><h1>Portail marketing</h1>
        <iframe id="panier" sandbox="allow-scripts" src="${BASE}" style="width:1200px;height:900px"></iframe>`);
      return;
    }
    if (!url.pathname.startsWith(BASE) || options.refuse?.(url)) {
      response.writeHead(404).end('not found');
      return;
    }
    let path = normalize(url.pathname.slice(BASE.length));
    if (path === '.' || path === '' || path.endsWith('/')) path = join(path, 'index.html');
    if (path.startsWith('..')) {
      response.writeHead(403).end();
      return;
    }
    const file = join(root, path);
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // Comme GitHub Pages (`max-age=600`) quand le banc d'essai mesure une
        // seconde visite ; jamais de cache pour les tests.
        'cache-control': options.cache ? 'public, max-age=600' : 'no-store',
        // Comme GitHub Pages : une iframe « sandbox » (origine opaque) peut
        // charger les modules et le wasm de l'application.
        'access-control-allow-origin': '*',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { server, origin: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}${BASE}` };
}
