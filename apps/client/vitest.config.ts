import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that `npm test` prints at the end.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    // Frames are compared as plain text: no colours, even where a CI variable would enable them.
    env: { FORCE_COLOR: '0' },
  },
});
