// Accès aux Web Workers d'une page par le protocole DevTools (CDP), y compris
// le second worker lancé par le worker d'analyse : Playwright ne voit pas les
// workers imbriqués. Sert aux tests (panne du second worker).
//
// Les sessions sont en mode non aplati : chaque message vers un worker
// imbriqué est enveloppé dans `Target.sendMessageToTarget` autant de fois
// qu'il y a de niveaux.

/**
 * S'attache à chaque worker de `page`, présent ou futur, imbriqué ou non.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{
 *   worker: (part: string, timeout?: number) => Promise<{ url: string, send: (method: string, params?: object) => Promise<any> }>,
 * }>}
 */
export async function attachWorkers(page) {
  const root = await page.context().newCDPSession(page);
  const workers = [];
  const pending = new Map();
  let nextId = 1;

  // Envoie `method` au worker au bout du chemin de sessions `path`.
  const sendTo = (path, method, params = {}) => {
    const id = nextId++;
    let message = JSON.stringify({ id, method, params });
    for (let i = path.length - 1; i >= 1; i -= 1) {
      message = JSON.stringify({
        id: nextId++,
        method: 'Target.sendMessageToTarget',
        params: { sessionId: path[i], message },
      });
    }
    const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    root.send('Target.sendMessageToTarget', { sessionId: path[0], message }).catch(() => {});
    return answer;
  };

  const attached = async (path, info) => {
    const send = (method, params) => sendTo(path, method, params);
    workers.push({ url: info.url, send });
    await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  };

  // Un message d'un worker : réponse à une commande, ou événement (un worker
  // imbriqué attaché, un message d'un worker imbriqué).
  const received = (path, message) => {
    const waiting = message.id !== undefined && pending.get(message.id);
    if (waiting) {
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    } else if (message.method === 'Target.receivedMessageFromTarget') {
      received([...path, message.params.sessionId], JSON.parse(message.params.message));
    } else if (message.method === 'Target.attachedToTarget') {
      attached([...path, message.params.sessionId], message.params.targetInfo);
    }
  };

  root.on('Target.receivedMessageFromTarget', (event) =>
    received([event.sessionId], JSON.parse(event.message)),
  );
  root.on('Target.attachedToTarget', (event) => attached([event.sessionId], event.targetInfo));
  await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  return {
    /**
     * Le premier worker du rôle `role` (`self.PANIER_ROLE` : `''` pour celui
     * d'analyse, `'helper'`, `'miner'`), attendu au besoin. Les workers
     * partent d'adresses `blob:` : leur rôle se lit dans leur global.
     */
    async worker(role, timeout = 10_000) {
      const deadline = Date.now() + timeout;
      const question = { expression: 'self.PANIER_ROLE', returnByValue: true };
      for (;;) {
        for (const worker of workers) {
          const answer = await worker.send('Runtime.evaluate', question).catch(() => null);
          if (answer?.result?.value === role) return worker;
        }
        if (Date.now() > deadline) throw new Error(`aucun worker de rôle « ${role} »`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
