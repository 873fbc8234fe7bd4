// Inscrit le service worker (sw.js, à côté de la page) qui garde Panier
// utilisable hors ligne. Dans une iframe isolée (sandbox sans
// allow-same-origin), le navigateur refuse l'accès : l'application marche
// alors sans, en ligne seulement.
try {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('./sw.js').catch(() => {});
  }
} catch {
  // Accès refusé (origine opaque) : rien à faire.
}
