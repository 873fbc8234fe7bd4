// Exemple d'hôte pour l'API d'intégration de Panier (protocole 1). Tout ce
// qu'un portail a besoin de savoir tient ici : ouvrir Panier avec ?embed=
// (l'origine du portail), envoyer {panier: 1, type, …} à cette origine-là
// seulement, et n'écouter que les messages qui en viennent.
const params = new URLSearchParams(location.search);
const app = new URL(params.get('app') ?? '../', location.href);
app.searchParams.set('embed', params.get('allow') ?? location.origin);
const frame = document.getElementById('panier');
frame.src = app.href;

/** Messages reçus de Panier, dans l'ordre (les tests les lisent). */
window.panierEvents = [];
const log = document.getElementById('log');
window.addEventListener('message', (event) => {
  if (event.origin !== app.origin || event.data?.panier !== 1) return;
  window.panierEvents.push(event.data);
  const { type, stage, fraction, id, what } = event.data;
  log.textContent += `${type}${stage ? ` ${stage} ${Math.round(fraction * 100)} %` : ''}${what ? ` ${what} #${id}` : ''}\n`;
});

let nextId = 1;
/**
 * L'API côté hôte : `send` poste un message, `request` pose une question
 * (`get`) et rend la réponse, `next` attend le prochain événement d'un type.
 */
window.panier = {
  send(message) {
    frame.contentWindow.postMessage({ panier: 1, ...message }, app.origin);
  },
  next(type, after = window.panierEvents.length) {
    return new Promise((resolve) => {
      const look = () => {
        const found = window.panierEvents.slice(after).find((event) => event.type === type);
        if (found) resolve(found);
        else setTimeout(look, 50);
      };
      look();
    });
  },
  request(what, extra = {}) {
    const id = nextId++;
    this.send({ type: 'get', id, what, ...extra });
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = window.panierEvents.find((event) => event.id === id && (event.type === 'result' || event.type === 'error'));
        if (!found) return setTimeout(look, 50);
        if (found.type === 'error') reject(new Error(found.message));
        else resolve(found.data);
      };
      look();
    });
  },
};

document.getElementById('file').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (file) window.panier.send({ type: 'load', file, name: file.name });
});
document.getElementById('lang').addEventListener('change', (event) => window.panier.send({ type: 'set-language', lang: event.target.value }));
document.getElementById('theme').addEventListener('change', (event) => window.panier.send({ type: 'set-theme', theme: event.target.value }));
document.getElementById('segments').addEventListener('click', async () => {
  const segments = await window.panier.request('segments');
  log.textContent += Object.entries(segments).map(([name, ids]) => `${name} : ${ids.length} clients`).join('\n') + '\n';
});
