/** Tests of the sliding minimum of transit times. */

import { describe, expect, it } from 'vitest';
import { TransitFloor } from './transit-floor.js';

describe('transit floor', () => {
  it('is the minimum over the window, forgetting older packets', () => {
    const floor = new TransitFloor(1000);
    expect(floor.floor(0)).toBeUndefined();
    floor.push(0, 50);
    floor.push(100, 80);
    floor.push(200, 60);
    expect(floor.floor(200)).toBe(50);
    expect(floor.floor(1050)).toBe(60); // the 50 of t=0 is out of the window
    expect(floor.floor(1250)).toBe(60); // the newest stays whatever its age
    floor.push(1300, 90);
    expect(floor.floor(1300)).toBe(90);
  });

  it('forgets everything on clear', () => {
    const floor = new TransitFloor(1000);
    floor.push(0, 5);
    floor.clear();
    expect(floor.floor(0)).toBeUndefined();
  });
});
