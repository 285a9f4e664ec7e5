// The calls part of the benchmark on a small scale: real phones through the relay connect, every frame the speaker gets is classified, and the report names each target.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { judgeTargets } from '../bench/call-bench.mjs';
import { startDirectory } from '../bench/call-phones.mjs';
import { measurePlayout } from '../bench/call-playout.mjs';
import { renderCallSection } from '../bench/call-report.mjs';
import { measureSetup } from '../bench/call-setup.mjs';

let directory: Awaited<ReturnType<typeof startDirectory>>;
beforeAll(async () => {
  directory = await startDirectory();
});
afterAll(async () => {
  await directory?.close();
});

describe('calls part', () => {
  test('set-up at 20% loss each way: classic and v2 calls between real phones connect on both ends', async () => {
    const rows = await Promise.all(
      (['classic', 'v2'] as const).map((protocol) => measureSetup({ directoryPort: directory.port, protocol, profile: 'loss20', calls: 3, concurrency: 3 })),
    );
    for (const row of rows) {
      expect(row.failures).toEqual({});
      expect(row.connected).toBe(3);
      expect(row.setupP50Ms).toBeGreaterThan(0);
      expect(row.setupP99Ms).toBeGreaterThanOrEqual(row.setupP50Ms!);
    }
  });

  test('playout at 20% loss: every frame of the window classified; classic plays its losses as silence, v2 conceals them; the E-model follows the codec', async () => {
    const [classic, v2] = await Promise.all(
      (['classic', 'v2'] as const).map((protocol) => measurePlayout({ directoryPort: directory.port, protocol, profile: 'loss20', calls: 1, warmMs: 1000, measureMs: 3000 })),
    );
    for (const row of [classic!, v2!]) {
      expect(row.framesPlayed).toBeGreaterThan(0);
      expect(row.playedPercent + row.concealedPercent + row.silentPercent).toBeCloseTo(100, 1);
      // Seeded 20% loss each way: some frames are lost, most are played as sent.
      expect(row.lossPercent).toBeGreaterThan(5);
      expect(row.playedPercent).toBeGreaterThan(50);
      expect(row.delayBeyondPacketizationMs.p50).not.toBeNull();
    }
    expect(classic!.frameMs).toBe(64);
    expect(classic!.concealedPercent).toBe(0);
    expect(classic!.silentPercent).toBeGreaterThan(0);
    expect(classic!.eModel!.codec).toBe('g711');
    expect(v2!.frameMs).toBe(20);
    expect(v2!.concealedPercent).toBeGreaterThan(0);
    expect(v2!.eModel!.codec).toBe('g711-plc');
    const targets = judgeTargets({ playout: [classic!, { ...v2!, profile: 'loss5-jitter30' }] });
    expect(targets.map((t) => t.target)).toEqual([
      'v2 at 5% loss + 30 ms jitter: no lost frame played as silence',
      'v2 at 5% loss + 30 ms jitter: delay beyond packetization p99 < 80 ms',
    ]);
    const markdown = renderCallSection({ playout: [classic!, v2!], targets }).join('\n');
    expect(markdown).toContain('| 20% random loss | v2 |');
    expect(markdown).toContain('### Targets');
  });
});
