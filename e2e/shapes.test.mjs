// Formes d'exports réels (échantillons fidèles fabriqués ici) : déposés dans
// l'application, ils donnent les mêmes comptes que la CLI native sur les
// mêmes octets — et l'étape de correspondance nomme le format reconnu.
import { money } from './common.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBench, CLI } from './harness.mjs';

const bench = useBench();
const { newPage } = bench;
const dir = mkdtempSync(join(tmpdir(), 'panier-shapes-'));

/** Rapport de la CLI native sur le même fichier. */
function cliReport(file) {
  const out = mkdtempSync(join(tmpdir(), 'panier-shapes-out-'));
  execFileSync(CLI, ['analyze', file, '--out', out], { stdio: 'ignore' });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  // La devise devinée par le cœur (vue d'ensemble) : les montants l'affichent.
  const overview = JSON.parse(readFileSync(join(out, 'overview.json'), 'utf8'));
  return { ...report, currency: overview.currency };
}

const en = (n) => n.toLocaleString('en-US');
const utf16le = (text) => Buffer.from(text, 'utf16le');

// Journal d'achats aligné par des espaces, dates AAAAMMJJ, montants (CDNOW).
const CDNOW = `customer_id   date      number_of_cds  dollar_value
00001         19970101  1              11.77
00002         19970112  1              12.00
00002         19970112  5              77.00
00003         19970102  2              20.76
00003         19970330  2              20.76
00004         19970101  2              29.33
00004         19970118  2              29.73
`;
// Fidélité d'épicerie : membre, jour, article ; ni ticket ni prix.
const GROCERY = `Member_number,Date,itemDescription
1808,21-07-2015,tropical fruit
2552,05-01-2015,whole milk
1808,21-07-2015,whole milk
1808,21-07-2015,rolls/buns
2552,05-01-2015,rolls/buns
1808,02-08-2015,whole milk
`;
// Boutique française : point-virgule, montants en euros, espace fine des milliers.
const EUROS = `N° commande;Client;Date;Produit;Qté;Prix unitaire
F-1;alice;01/03/2024;vase;1;1\u202f234,50\u00a0€
F-1;alice;01/03/2024;bol;2;12,00 €
F-2;bob;15/03/2024;vase;1;1 234,50 €
F-3;carla;20/03/2024;bol;3;12,00 €
`;
// Excel « Texte Unicode » sans BOM : UTF-16 LE, tabulations.
const UNICODE_TEXT = `InvoiceNo\tStockCode\tDescription\tQuantity\tInvoiceDate\tUnitPrice\tCustomerID\tCountry
536365\t85123A\tWHITE HANGING HEART T-LIGHT HOLDER\t6\t2010-12-01 08:26:00\t2.55\t17850\tUnited Kingdom
536366\t22633\tHAND WARMER UNION JACK\t6\t2010-12-01 08:28:00\t1.85\t17850\tRépublique tchèque
536367\t84879\tASSORTED COLOUR BIRD ORNAMENT\t32\t2010-12-01 08:34:00\t1.69\t13047\tUnited Kingdom
`;

const cases = [
  { name: 'journal aligné par des espaces (CDNOW)', file: 'cdnow.txt', bytes: Buffer.from(CDNOW), format: /␣/ },
  { name: 'fidélité sans ticket (membre + jour)', file: 'members.csv', bytes: Buffer.from(GROCERY), format: /CSV · UTF-8/ },
  { name: 'montants en euros mis en forme', file: 'euros.csv', bytes: Buffer.from(EUROS), format: /«\u00a0;\u00a0»/ },
  { name: 'UTF-16 sans BOM', file: 'unicode.txt', bytes: utf16le(UNICODE_TEXT), format: /UTF-16 LE/ },
];

for (const { name, file, bytes, format } of cases) {
  test(`forme d'export : ${name} — mêmes comptes que la CLI`, async () => {
    const path = join(dir, file);
    writeFileSync(path, bytes);
    const expected = cliReport(path);
    const { context, page, errors } = await newPage('en-US');
    await page.goto(bench.served.url);
    await page.getByTestId('file-input').setInputFiles(path);
    await page.getByTestId('timings').waitFor({ state: 'attached', timeout: 60_000 });
    const kpi = (id) => page.getByTestId(id).locator('.kpi-value').textContent();
    assert.equal(await kpi('kpi-rows-read'), en(expected.import.rows_read));
    assert.equal(await kpi('kpi-rows'), en(expected.rows));
    assert.equal(await kpi('kpi-invoices'), en(expected.invoices));
    assert.equal(await kpi('kpi-customers'), en(expected.customers));
    assert.equal(
      await kpi('kpi-revenue'),
      expected.revenue === null
        ? '—'
        : money(expected.revenue, expected.currency),
    );
    // Le format reconnu se lit à l'étape de correspondance, sur la page
    // d'import.
    await page.evaluate(() => {
      window.location.hash = '#/import';
    });
    assert.match(await page.getByTestId('import-format').textContent(), format);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
