#!/usr/bin/env node
// `npm run bench`: every benchmark, figures printed and written under bench/.
// Usage: node tools/bench/run-all.mjs [directory|directory-pg|media|calls ...]; parts not run keep their figures from the last bench/results.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCallBench } from './call-bench.mjs';
import { runDirectoryBench } from './directory-bench.mjs';
import { runDirectoryPgBench } from './dir-pg-bench.mjs';
import { runMediaBench } from './media-bench.mjs';
import { renderReport } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'bench');
const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['directory', 'directory-pg', 'media', 'calls']);

const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
};
if (wanted.has('directory')) results.directory = await runDirectoryBench();
if (wanted.has('directory-pg')) results.directoryPg = await runDirectoryPgBench();
if (wanted.has('media')) results.media = await runMediaBench();
if (wanted.has('calls')) results.calls = await runCallBench();

// Each part's run date; the parts not run this time keep their last figures.
const previous = existsSync(join(outDir, 'results.json')) ? JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) : {};
results.dates = {};
// The part names of the command line, and the key of each in results.json.
const PARTS = { directory: 'directory', 'directory-pg': 'directoryPg', media: 'media', calls: 'calls' };
for (const [part, key] of Object.entries(PARTS)) {
  if (wanted.has(part)) results.dates[key] = results.date;
  else if (previous[key] !== undefined) [results[key], results.dates[key]] = [previous[key], previous.dates?.[key] ?? previous.date];
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const report = renderReport(results);
writeFileSync(join(outDir, 'RESULTS.md'), report);
console.log(report);
