/** The help overlay (`?`): every key, from the key reference table. */
import { KEY_REFERENCE } from '../key-reference.js';
import { wrapText } from '../layout.js';
import { Overlay } from './Overlay.js';

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  readonly scroll: number;
  readonly height: number;
  /** Inner width, in cells. */
  readonly width: number;
}

const KEYS_WIDTH = 14;

/** The key reference as lines of a given width: keys, then what they do and where. */
export function helpLines(width: number): string[] {
  return KEY_REFERENCE.flatMap((row) => wrapText(`${row.keys.padEnd(KEYS_WIDTH - 1)} ${row.action} (${row.where})`, width, KEYS_WIDTH));
}

/** Every key of the client (`?`), from the one key reference table. */
export function HelpOverlay({ scroll, height, width }: HelpOverlayProps) {
  return <Overlay title="Keys · Esc back" lines={helpLines(width)} scroll={scroll} height={height} />;
}
