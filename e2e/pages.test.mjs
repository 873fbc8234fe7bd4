// La publication GitHub Pages construit ce que `./dev.sh test` teste : le
// workflow appelle `./dev.sh build`, dont la build est celle de la commande de
// test (`trunk build --release`, même chaîne épinglée), avec la version de Rust
// de cette machine, et publie `dist/` ; le README donne la même commande.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './common.mjs';

const read = (path) => readFileSync(join(ROOT, path), 'utf8');
const workflow = read('.github/workflows/pages.yml');
const devSh = read('dev.sh');

/** Corps d'une fonction shell de dev.sh. */
function shellFunction(name) {
  const match = devSh.match(new RegExp(`^${name}\\(\\) \\{\\n([\\s\\S]*?)^\\}`, 'm'));
  assert.ok(match, `fonction ${name} absente de dev.sh`);
  return match[1];
}

test('le workflow Pages construit avec ./dev.sh build et publie dist/', () => {
  assert.match(workflow, /^\s+run: \.\/dev\.sh build$/m);
  assert.match(workflow, /uses: actions\/upload-pages-artifact@v\d+\n\s+with:\n\s+path: dist$/m);
  assert.match(workflow, /uses: actions\/deploy-pages@v\d+/);
  assert.match(workflow, /pages: write/);
});

test('./dev.sh build est la build que ./dev.sh test vérifie', () => {
  const build = shellFunction('build');
  const testAll = shellFunction('test_all');
  const trunk = (body) => body.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('trunk build'));
  assert.deepEqual(trunk(build), ['trunk build --release']);
  assert.deepEqual(trunk(testAll), trunk(build));
  assert.match(build, /ensure_build_tools/);
});

test('le workflow épingle la version de Rust de cette machine', () => {
  const local = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).split(' ')[1];
  const pinned = [...workflow.matchAll(/rustup (?:toolchain install|default) (\S+)/g)].map((m) => m[1]);
  assert.ok(pinned.length >= 2, 'rustup toolchain install et rustup default attendus');
  for (const version of pinned) {
    assert.equal(version, local, `le workflow Pages épingle Rust ${version}, ./dev.sh test tourne avec ${local} : mettez-le à jour`);
  }
});

test('le README dit comment publier, avec la même commande', () => {
  const readme = read('README.md');
  assert.match(readme, /\.\/dev\.sh build/);
  assert.match(readme, /\.github\/workflows\/pages\.yml/);
});
