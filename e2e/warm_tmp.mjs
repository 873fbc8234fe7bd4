import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const served = await startServer('/work/main/dist', { cache: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
const context = await browser.newContext();
for (let i=0;i<5;i++){
const page = await context.newPage();
await page.goto(served.url);
await page.getByTestId('file-input').setInputFiles(process.argv[2]);
await page.getByTestId('timings').waitFor({ timeout: 120000 });
const stages = await page.$$eval('[data-testid=timings] .timing', (spans) => Object.fromEntries(spans.map((s) => [s.dataset.stage, Math.round(Number(s.dataset.ms))])));
const ic = ['read','inspect','parse','join','clean'].reduce((a,k)=>a+(stages[k]??0),0);
console.log(i, ic, JSON.stringify(stages));
await page.close();
}
await browser.close(); served.server.close();
