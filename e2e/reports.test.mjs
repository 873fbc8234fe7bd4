// Les rapports qui quittent l'application : le classeur Excel (le même que
// celui de la CLI, feuille pour feuille), et l'impression d'une page de
// synthèse par vue (un PDF A4 d'une seule page, par le moteur de Chromium).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { useBench, CLI, ROOT } from './harness.mjs';

const bench = useBench();
const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');

/**
 * Les fichiers d'une archive ZIP (un XLSX en est une) : nom → contenu. Une
 * lecture indépendante de celle de Panier : le répertoire central, puis
 * chaque en-tête local, stocké ou « deflate ».
 */
function unzip(bytes) {
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end -= 1;
  assert.ok(end >= 0, 'pas un ZIP : fin du répertoire central introuvable');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i += 1) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    files.set(name, method === 0 ? data : inflateRawSync(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

test('le classeur Excel de l’application est celui de la CLI, feuille pour feuille', async () => {
  const { context, page, errors } = await bench.newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-workbook').click()]);
  assert.equal(download.suggestedFilename(), 'panier.xlsx');
  const ours = unzip(readFileSync(await download.path()));

  const dir = mkdtempSync(join(tmpdir(), 'panier-xlsx-'));
  const demo = join(dir, 'demo.csv');
  execFileSync(CLI, ['demo', '--out', demo]);
  execFileSync(CLI, ['--lang', 'en', 'analyze', demo, '--out', join(dir, 'out'), '--xlsx'], { stdio: 'ignore' });
  const cli = unzip(readFileSync(join(dir, 'out', 'panier.xlsx')));

  // Les huit feuilles, dans l'ordre.
  const names = [...ours.get('xl/workbook.xml').toString('utf8').matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(names, ['Summary', 'Cleaning', 'Segments', 'Customers', 'Customer value', 'Rules', 'Recommendations', 'Quality']);
  // Tout est identique à la CLI, sauf la date de création du classeur et la
  // valeur client : même calcul, mais ln et exp du wasm et de la
  // bibliothèque C diffèrent au dernier bit et l'optimiseur s'arrête en un
  // point voisin (1e-5 près en relatif, voir e2e/clv.test.mjs).
  assert.deepEqual([...ours.keys()].sort(), [...cli.keys()].sort());
  const clvSheet = `xl/worksheets/sheet${names.indexOf('Customer value') + 1}.xml`;
  for (const [name, content] of ours) {
    if (name === 'docProps/core.xml') continue;
    if (name === clvSheet) {
      const values = (xml) => [...xml.toString('utf8').matchAll(/<v>([^<]*)<\/v>/g)].map((m) => Number(m[1]));
      const [a, b] = [values(content), values(cli.get(name))];
      assert.equal(a.length, b.length, `${name} : nombre de cellules`);
      a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])), `${name} : ${x} ≠ ${b[i]}`));
      continue;
    }
    assert.ok(content.equals(cli.get(name)), `${name} diffère de celui de la CLI`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('chaque vue s’imprime en une page A4 de synthèse', async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { context, page, errors } = await bench.newPage('fr-FR', { viewport: { width: 1400, height: 1000 } });
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  for (const [view, ready] of [
    ['overview', 'kpi-customers'],
    ['segmentation', 'segment-table'],
    ['recommendations', 'top-rule'],
  ]) {
    await page.goto(`${bench.served.url}#/${view}`);
    await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
    // Le bouton d'impression est là, et les graphiques sont dessinés.
    await page.getByTestId('print').waitFor();
    await page.waitForTimeout(300);
    const pdf = await page.pdf({ format: 'A4' });
    writeFileSync(join(ARTIFACTS, `print-${view}.pdf`), pdf);
    const text = pdf.toString('latin1');
    assert.ok(text.startsWith('%PDF-'), `${view} : pas un PDF`);
    const pages = text.match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
    assert.equal(pages.length, 1, `${view} : ${pages.length} pages au lieu d'une`);
    // A4 : 595 × 842 points.
    assert.match(text, /\/MediaBox\s*\[\s*0 0 595\.9\d* 842(\.\d+)?\s*\]|\/MediaBox\s*\[\s*0 0 595 842\s*\]/, `${view} : pas au format A4`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('chaque graphique se télécharge en PNG et en SVG, des images valides', async () => {
  for (const [view, charts] of [
    ['overview', ['monthly-revenue', 'new-vs-returning']],
    ['segmentation', ['rfm-heatmap', 'rfm-bars', 'rfm-histogram-0']],
    ['recommendations', ['rule-scatter', 'rule-network']],
  ]) {
    // Une page par vue : les téléchargements d'une vue ne dépendent pas de
    // ceux de la précédente.
    const { context, page, errors } = await bench.newPage('en-US');
    await page.goto(bench.served.url);
    await page.getByTestId('demo-button').click();
    await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
    const saved = async (testid) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
    };
    await page.goto(`${bench.served.url}#/${view}`);
    await page.getByTestId(charts[0]).waitFor({ timeout: 60_000 });
    // La page des règles arrive après le graphique et le pousse vers le bas :
    // on l'attend, pour cliquer là où sont les boutons.
    if (view === 'recommendations') await page.getByTestId('rules-table').locator('tbody tr').first().waitFor();
    for (const chart of charts) {
      const png = await saved(`${chart}-png`);
      assert.equal(png.name, `${chart}.png`);
      // Signature PNG, puis l'en-tête IHDR aux dimensions du canvas.
      assert.ok(png.bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')), `${chart} : pas un PNG`);
      const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
      const canvas = await page.getByTestId(chart).evaluate((c) => [c.width, c.height]);
      assert.deepEqual([width, height], canvas, `${chart} : dimensions du PNG`);
      const svg = await saved(`${chart}-svg`);
      assert.equal(svg.name, `${chart}.svg`);
      const text = svg.bytes.toString('utf8');
      // Un document SVG complet, aux mêmes dimensions, avec formes et textes.
      assert.match(text, new RegExp(`^<svg[^>]*width="${width}"[^>]*height="${height}"`), `${chart} : en-tête SVG`);
      assert.match(text, /<\/svg>\s*$/, `${chart} : SVG incomplet`);
      assert.match(text, /<(rect|circle|polyline|path)\b/, `${chart} : aucune forme`);
      assert.match(text, /<text\b/, `${chart} : aucun texte`);
      // Analysable comme XML par le navigateur.
      const parsed = await page.evaluate((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'image/svg+xml');
        return doc.querySelector('parsererror') ? 'erreur' : doc.documentElement.nodeName;
      }, text);
      assert.equal(parsed, 'svg', `${chart} : XML invalide`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('bulles des graphiques : histogrammes, nuage des règles et graphe des articles, au clavier et à la souris', async () => {
  const { context, page, errors } = await bench.newPage('en-US');
  await page.goto(bench.served.url);
  await page.getByTestId('demo-button').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  // Histogramme : ← depuis rien désigne la dernière classe, Début la première.
  await page.goto(`${bench.served.url}#/segmentation`);
  const histogram = page.getByTestId('rfm-histogram-0').locator('xpath=ancestor::div[contains(@class, "plot-wrap")][1]');
  await histogram.focus();
  await page.keyboard.press('Home');
  assert.match(await page.getByTestId('rfm-histogram-0-tip').textContent(), /^[\d.,k]+ – [\d.,k]+: [\d,]+ customers?$/);
  // Carte R × F : Début désigne la case F 1 la plus haute ; barres : la
  // souris sur la première barre dit l'effectif du tableau des segments.
  const heatmap = page.getByTestId('rfm-heatmap').locator('xpath=ancestor::div[contains(@class, "plot-wrap")][1]');
  await heatmap.focus();
  await page.keyboard.press('Home');
  assert.match(await page.getByTestId('rfm-heatmap-tip').textContent(), /^R 5 · F 1: mean spend £[\d,]+\.\d\d$/);
  const first = page.getByTestId('segment-table').locator('tbody tr').first();
  const name = (await first.locator('th').textContent()).trim();
  const customers = (await first.getByTestId('segment-customers').textContent()).trim();
  const bars = await page.getByTestId('rfm-bars').boundingBox();
  await page.mouse.move(bars.x + bars.width * 0.25, bars.y + bars.height * (10 + 17) / 400);
  assert.match(await page.getByTestId('rfm-bars-tip').textContent(), new RegExp(`^${name}: ${customers} customers \\([\\d.]+%\\)$`));
  await page.mouse.move(0, 0);

  await page.goto(`${bench.served.url}#/recommendations`);
  await page.getByTestId('rules-table').locator('tbody tr').first().waitFor({ timeout: 60_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-rules').click()]);
  const rows = readFileSync(await file.path(), 'utf8').trim().split('\n').slice(1);
  // La colonne « support » (5e) : le plus petit, premier point de gauche.
  const fields = (row) => [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]).slice(0, 13);
  const supports = rows.map((row) => Number(fields(row)[4]));
  const smallest = Math.min(...supports);
  const scatter = page.getByTestId('rule-scatter').locator('xpath=ancestor::div[contains(@class, "plot-wrap")][1]');
  await scatter.focus();
  await page.keyboard.press('Home');
  const tip = page.getByTestId('rule-scatter-tip');
  assert.match(await tip.textContent(), new RegExp(`^Support: ${(smallest * 100).toFixed(1).replace('.', '\\.')}% · Confidence: [\\d.]+% · lift [\\d.]+$`));
  // La souris à l'endroit de ce point désigne le même point.
  const text = await tip.textContent();
  const at = await tip.evaluate((el) => [parseFloat(el.style.left), parseFloat(el.style.top)]);
  const box = await page.getByTestId('rule-scatter').boundingBox();
  await page.keyboard.press('Escape');
  await page.mouse.move(box.x + (box.width * at[0]) / 100, box.y + (box.width * 400 / 560 * at[1]) / 100);
  assert.equal(await tip.textContent(), text);
  await page.mouse.move(0, 0);
  // Graphe : chaque nœud a une bulle au nom entier de l'article.
  const network = page.getByTestId('rule-network').locator('xpath=ancestor::div[contains(@class, "plot-wrap")][1]');
  await network.focus();
  await page.keyboard.press('ArrowRight');
  const item = await page.getByTestId('rule-network-tip').textContent();
  assert.ok(item.length > 0 && !item.endsWith('…'), item);
  // Les règles exportées gardent la casse du fichier ; l'écran l'adoucit.
  assert.ok(rows.some((row) => row.toLowerCase().includes(`""${item.toLowerCase()}""`)), `${item} absent des règles`);
  assert.deepEqual(errors, []);
  await context.close();
});
