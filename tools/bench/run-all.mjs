#!/usr/bin/env node
// `npm run bench`: every benchmark, figures printed and written under bench/.
// Usage: node tools/bench/run-all.mjs [directory|media|calls ...]; parts not run keep their figures from the last bench/results.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCallBench } from './call-bench.mjs';
import { runDirectoryBench } from './directory-bench.mjs';
import { runMediaBench } from './media-bench.mjs';
import { renderReport } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'bench');
const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['directory', 'media', 'calls']);

const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
};
if (wanted.has('directory')) results.directory = await runDirectoryBench();
if (wanted.has('media')) results.media = await runMediaBench();
if (wanted.has('calls')) results.calls = await runCallBench();

// Each part's run date; the parts not run this time keep their last figures.
const previous = existsSync(join(outDir, 'results.json')) ? JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) : {};
results.dates = {};
for (const part of ['directory', 'media', 'calls']) {
  if (wanted.has(part)) results.dates[part] = results.date;
  else if (previous[part] !== undefined) [results[part], results.dates[part]] = [previous[part], previous.dates?.[part] ?? previous.date];
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const report = renderReport(results);
writeFileSync(join(outDir, 'RESULTS.md'), report);
console.log(report);
