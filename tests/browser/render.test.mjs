// `whosaid render` in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core. Renders the seed articles (../shared/fixtures/seeds) and checks, against
// `whosaid attribute`'s JSON for the same documents, that every quotation has its element with
// the right data-speaker, that hovering and keyboard focus show the speaker, that no request
// leaves the page, that article text cannot run as script, and that a phone-width screen does
// not scroll sideways. Run by scripts/test.sh (`npm test` here, after the Rust tests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const whosaid = process.env.WHOSAID_BIN || join(root, 'target/release/whosaid');
const seeds = resolve(root, '../shared/fixtures/seeds');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let work, browser, results, speakerRows, summary, attributed;

/** The corpus speaker id of a document's speaker name (by `whosaid speakers --explain`). */
function idOf(name) {
  const row = speakerRows.find((r) => r.name === name || (r.merged || []).some((m) => m.name === name));
  return row && row.id;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'whosaid-render-'));
  execFileSync(whosaid, ['render', seeds, '-o', join(work, 'pages')], { stdio: 'inherit' });
  const out = execFileSync(whosaid, ['attribute', seeds], { maxBuffer: 1 << 26 }).toString();
  results = out.trim().split('\n').map((l) => JSON.parse(l));
  attributed = join(work, 'seeds.jsonl');
  writeFileSync(attributed, out);
  const rows = execFileSync(whosaid, ['speakers', attributed, '--format', 'jsonl', '--explain']).toString();
  speakerRows = rows.trim().split('\n').map((l) => JSON.parse(l));
  summary = JSON.parse(execFileSync(whosaid, ['speakers', attributed, '--format', 'summary']).toString());
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A page that records every request that is not a file under the output folder. */
async function open(file, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith('file://')) outside.push(r.url()); });
  await page.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(file).href);
  return { page, outside };
}

test('render writes one page per seed article and an index', () => {
  const files = readdirSync(join(work, 'pages')).sort();
  assert.deepEqual(files.filter((f) => f !== 'index.html').length, 3);
  assert.ok(files.includes('index.html'));
});

test('every quotation has its element with the right speaker, and nothing is requested', async () => {
  let checked = 0;
  for (const result of results) {
    const { page, outside } = await open(join(work, 'pages', `${result.id}.html`));
    const elements = await page.$$eval('.quote', (qs) => qs.map((q) => ({
      start: Number(q.dataset.start), end: Number(q.dataset.end), kind: q.dataset.kind, speaker: q.dataset.speaker,
    })));
    assert.equal(elements.length, result.quotes.length, `${result.id}: one element per quotation`);
    for (const q of result.quotes) {
      const el = elements.find((e) => e.start === q.start && e.end === q.end && e.kind === q.kind);
      assert.ok(el, `${result.id}: no element for quotation ${q.start}..${q.end}`);
      assert.equal(el.speaker, q.speaker ? q.speaker.name : '', `${result.id}: speaker of ${q.start}..${q.end}`);
      checked += 1;
    }
    assert.deepEqual(outside, [], `${result.id}: requests left the page`);
    await page.close();
  }
  assert.ok(checked > 20, `only ${checked} quotations checked`);
});

test("a mixed quotation's statement is underlined around it", async () => {
  let checked = 0;
  for (const result of results) {
    const text = readFileSync(join(seeds, `${result.id}.txt`), 'utf8');
    const chars = [...text];
    const { page } = await open(join(work, 'pages', `${result.id}.html`));
    for (const [i, q] of result.quotes.entries()) {
      if (!q.clause) continue;
      const shown = await page.$$eval(`.statement`, (els, id) => els
        .filter((e) => e.dataset.quotes.split(' ').includes(id)).map((e) => e.textContent).join(''), `q${i}`);
      assert.equal(shown, chars.slice(q.clause.start, q.clause.end).join(''), `${result.id} q${i}`);
      const line = await page.$eval('.statement', (e) => getComputedStyle(e).textDecorationLine);
      assert.ok(line.includes('underline'), line);
      checked += 1;
    }
    await page.close();
  }
  assert.ok(checked >= 2, `only ${checked} statements checked`);
});

test('hovering or focusing a quotation shows its speaker, kind, cue and confidence', async () => {
  const result = results.find((r) => r.id.startsWith('000_'));
  const { page } = await open(join(work, 'pages', `${result.id}.html`));
  const index = result.quotes.findIndex((q) => q.speaker && q.cue);
  const q = result.quotes[index];
  await page.hover(`#q${index}`);
  const info = await page.textContent('#info');
  assert.ok(info.includes(q.speaker.name), `hover shows ${q.speaker.name}: ${info}`);
  assert.ok(info.includes(q.kind) && info.includes(q.cue.text) && info.includes(q.confidence.toFixed(3)), info);
  // The speaker's gender (as the text refers to them) and corpus id.
  assert.ok(info.includes(`gender${q.speaker.gender}`), `hover shows the gender ${q.speaker.gender}: ${info}`);
  const id = idOf(q.speaker.name);
  assert.ok(id && info.includes(`speaker id${id}`), `hover shows the speaker id ${id}: ${info}`);
  // Keyboard: Tab passes the skip link, the back link and any speaker mention before it, then
  // reaches the first quotation of the article.
  await page.mouse.move(0, 0);
  let focused = '';
  for (let i = 0; i < 12 && !focused.startsWith('q'); i += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement.classList.contains('quote') ? document.activeElement.id : ''));
  }
  const firstInDom = await page.$eval('.quote', (q) => q.id);
  assert.equal(focused, firstInDom, 'Tab reaches the first quotation');
  const first = result.quotes[Number(focused.slice(1))];
  const infoAfterTab = await page.textContent('#info');
  assert.ok(infoAfterTab.includes(first.speaker ? first.speaker.name : 'none found'), infoAfterTab);
  if (process.env.WHOSAID_SCREENSHOT) {
    await page.hover(`#q${index}`);
    await page.screenshot({ path: process.env.WHOSAID_SCREENSHOT, fullPage: false });
  }
  await page.close();
});

test("a page's speakers have distinct colours, and a speaker keeps its colour across pages", async () => {
  const hues = new Map();
  for (const result of results) {
    const { page } = await open(join(work, 'pages', `${result.id}.html`));
    const pairs = await page.$$eval('.quote:not(.none)', (qs) => qs.map((q) => [q.dataset.speaker, getComputedStyle(q).getPropertyValue('--hue').trim()]));
    const onPage = new Map(pairs);
    const distinct = new Set(onPage.values());
    // Twelve palette colours; past twelve speakers a page may repeat one.
    assert.equal(distinct.size, Math.min(onPage.size, Math.max(12, distinct.size)), `${result.id}: ${[...onPage]}`);
    if (onPage.size <= 12) assert.equal(distinct.size, onPage.size, `${result.id}: speakers share a colour: ${[...onPage]}`);
    for (const [speaker, hue] of pairs) {
      if (!hues.has(speaker)) hues.set(speaker, new Set());
      hues.get(speaker).add(hue);
    }
    await page.close();
  }
  assert.ok(hues.size > 3, `only ${hues.size} speakers`);
  // With no more corpus speakers than palette colours, each keeps its slot on every page.
  if (speakerRows.length <= 12) {
    for (const [speaker, set] of hues) assert.equal(set.size, 1, `${speaker} has hues ${[...set]}`);
  }
});

test('the index links every document and lists the speakers', async () => {
  const { page, outside } = await open(join(work, 'pages', 'index.html'));
  const links = await page.$$eval('#documents + table a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.sort(), results.map((r) => `${r.id}.html`).sort());
  const shown = await page.$$eval('#speakers + table tbody tr', (rows) => rows.map((r) => r.cells[1].textContent));
  assert.deepEqual(shown, speakerRows.map((r) => r.id), 'the index lists `whosaid speakers`\' rows, in order');
  assert.deepEqual(outside, []);
  await page.close();
});

test('article text is shown, never run, and a phone-width screen does not scroll sideways', async () => {
  const docs = join(work, 'hostile');
  mkdirSync(docs);
  writeFileSync(join(docs, 'x.txt'),
    '“<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> is just text,” Ana Ruiz said.\n\n' +
    'She added that a-very-long-unbroken-token-'.padEnd(300, 'x') + ' would not break the layout.');
  execFileSync(whosaid, ['render', docs, '-o', join(work, 'hostile-pages')], { stdio: 'inherit' });
  const { page, outside } = await open(join(work, 'hostile-pages', 'x.html'), { width: 390, height: 844 });
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.ok((await page.textContent('.article')).includes('<script>window.pwned = 1</script>'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at 390px`);
  assert.deepEqual(outside, []);
  await page.close();
});

test('a quotation without a speaker is grey, whatever its kind, and a page is titled by its first line', async () => {
  const docs = join(work, 'unattributed');
  mkdirSync(docs);
  // No name and no cue anywhere: the quotations find no speaker.
  writeFileSync(join(docs, 'u.txt'),
    'Storm closes the coast road\n\n"The road will stay shut until Friday. Nobody should try to drive it."\n\n' +
    '"Ferries will run twice a day."');
  execFileSync(whosaid, ['render', docs, '-o', join(work, 'unattributed-pages')], { stdio: 'inherit' });
  const { page } = await open(join(work, 'unattributed-pages', 'u.html'));
  assert.ok((await page.title()).startsWith('Storm closes the coast road'), await page.title());
  const colours = await page.$$eval('.quote.none', (qs) => qs.map((q) => {
    const s = getComputedStyle(q);
    return [q.className, s.backgroundColor, s.backgroundImage, s.borderBottomColor];
  }));
  assert.ok(colours.length > 0, 'the page has quotations without a speaker');
  const grey = (rgb) => { const [r, g, b] = rgb.match(/\d+/g).map(Number); return r === g && g === b; };
  for (const [cls, bg, image, border] of colours) {
    assert.ok(grey(border), `${cls}: border ${border}`);
    if (image === 'none') assert.ok(grey(bg), `${cls}: background ${bg}`);
    else assert.ok(image.match(/rgb\([^)]*\)/g).every(grey), `${cls}: background ${image}`);
  }
  await page.close();
});

test('the index is searchable and sortable', async () => {
  const { page, outside } = await open(join(work, 'pages', 'index.html'));
  const visible = (table) => page.$$eval(`#${table} tbody tr:not([hidden])`, (rows) => rows.map((r) => r.textContent));
  const all = await visible('speaker-table');
  // Search: only the rows holding the text stay, in any letter case.
  const name = results.flatMap((r) => r.quotes).find((q) => q.speaker && q.speaker.type === 'PER').speaker.name;
  await page.fill('#speaker-table input.filter', name.toUpperCase());
  const kept = await visible('speaker-table');
  assert.ok(kept.length >= 1 && kept.length < all.length, `${kept.length} of ${all.length}`);
  assert.ok(kept.every((t) => t.toLowerCase().includes(name.toLowerCase())));
  await page.fill('#speaker-table input.filter', '');
  assert.equal((await visible('speaker-table')).length, all.length);
  // Sort: a click on "quotations" puts the most quoted first, a second click the least.
  const counts = () => page.$$eval('#document-table tbody tr', (rows) => rows.map((r) => Number(r.cells[1].textContent)));
  await page.click('#document-table th:nth-child(2)');
  const down = await counts();
  assert.deepEqual(down, [...down].sort((a, b) => b - a));
  await page.click('#document-table th:nth-child(2)');
  const up = await counts();
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  // The links still lead to every document.
  const links = await page.$$eval('#documents + table a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.sort(), results.map((r) => `${r.id}.html`).sort());
  assert.deepEqual(outside, []);
  await page.close();
});

test("the corpus report's charts show `whosaid speakers`' numbers, load nothing and link the pages", async () => {
  const dir = join(work, 'report');
  const seedsDocs = resolve(root, '../shared/fixtures/seeds');
  execFileSync(whosaid, ['report', attributed, '--docs', seedsDocs, '-o', dir, '--top', '5'], { stdio: 'inherit' });
  const { page, outside } = await open(join(dir, 'report.html'));
  const bars = (id) => page.$$eval(`#chart-${id} g.bar`, (gs) => gs.map((g) => [g.dataset.label, Number(g.dataset.value)]));
  assert.deepEqual(await bars('top-speakers'), speakerRows.slice(0, 5).map((r) => [r.name, r.quotes]));
  const genders = ['female', 'male', 'unknown'];
  assert.deepEqual(await bars('gender-quotes'), genders.map((g) => [g, summary[g].quotes]));
  assert.deepEqual(await bars('gender-speakers'), genders.map((g) => [g, summary[g].speakers]));
  // Bars are drawn to scale: the longest is the largest value.
  const widths = await page.$$eval('#chart-top-speakers rect', (rs) => rs.map((r) => Number(r.getAttribute('width'))));
  assert.equal(Math.max(...widths), widths[0]);
  // Every document row links to its rendered page, which exists.
  const links = await page.$$eval('#report-documents a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.sort(), results.map((r) => `${r.id}.html`).sort());
  for (const link of links) assert.ok(readdirSync(dir).includes(link), `${link} was written`);
  assert.deepEqual(outside, []);
  if (process.env.WHOSAID_REPORT_SCREENSHOT) {
    await page.screenshot({ path: process.env.WHOSAID_REPORT_SCREENSHOT, fullPage: true });
  }
  await page.close();
});

test('the report breaks persons down by a meta field and by month', async () => {
  const docs = join(work, 'meta-docs.jsonl');
  writeFileSync(docs, [
    { id: 'a', outlet: 'Harbour Gazette', date: '2024-03-02', text: '"We will reopen the pier," Mayor Ana Ruiz said. She added that repairs were done.' },
    { id: 'b', outlet: 'Valley Post', date: '2024-04-11', text: '"The budget is balanced," said Tom Reyes, the treasurer. He said taxes would not rise.' },
  ].map((d) => JSON.stringify(d)).join('\n') + '\n');
  const out = join(work, 'meta-out.jsonl');
  execFileSync(whosaid, ['attribute', docs, '-o', out], { stdio: 'inherit' });
  const dir = join(work, 'meta-report');
  execFileSync(whosaid, ['report', out, '-o', dir, '--by', 'outlet', '--date', 'date'], { stdio: 'inherit' });
  const { page, outside } = await open(join(dir, 'report.html'));
  const rows = await page.$$eval('table.breakdown tbody tr', (trs) => trs.map((tr) => [tr.dataset.key, ...[...tr.cells].slice(1, 4).map((c) => Number(c.textContent))]));
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const count = (id, g) => lines.find((l) => l.id === id).quotes.filter((q) => q.speaker && q.speaker.type === 'PER' && q.speaker.gender === g).length;
  assert.deepEqual(rows, [
    ['Harbour Gazette', count('a', 'female'), count('a', 'male'), count('a', 'unknown')],
    ['Valley Post', count('b', 'female'), count('b', 'male'), count('b', 'unknown')],
    ['2024-03', count('a', 'female'), count('a', 'male'), count('a', 'unknown')],
    ['2024-04', count('b', 'female'), count('b', 'male'), count('b', 'unknown')],
  ]);
  assert.ok(count('a', 'female') >= 1 && count('b', 'male') >= 1, JSON.stringify(lines));
  assert.deepEqual(outside, []);
  await page.close();
});
