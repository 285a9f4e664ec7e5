#!/usr/bin/env node
// Prints one closing line for the whole workspace, "N passed, N failed, N skipped",
// from the JSON reports that each project's vitest run writes to test-results/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projects = ['packages/protocol', 'packages/registry', 'packages/media', 'packages/session', 'apps/server', 'apps/client', 'tools'];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const project of projects) {
  const file = join(root, project, 'test-results', 'vitest.json');
  if (!existsSync(file)) {
    missing.push(project);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
if (missing.length) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
