/** Fault kinds of the X API emulator (DESIGN 11). */
export type FaultKind = 'drop' | 'stall' | 'opdisconnect' | '503' | '429' | 'truncate' | 'malformed' | 'split-utf8';

/** One scheduled fault: `atS` seconds after the emulator started, for `durationS`, on every or one connection. */
export interface Fault {
  kind: FaultKind;
  atS: number;
  durationS: number;
  /** 1-based, in the order connections were accepted; undefined = all. */
  connection?: number;
}

/** Every fault kind, in the order the usage text lists them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'drop',
  'stall',
  'opdisconnect',
  '503',
  '429',
  'truncate',
  'malformed',
  'split-utf8',
];

const FAULT_PATTERN = /^([a-z0-9-]+)@(\d+(?:\.\d+)?)(?:\+(\d+(?:\.\d+)?))?(?:#(\d+))?$/;

function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

function parseOne(part: string): Fault {
  const match = FAULT_PATTERN.exec(part);
  if (!match) {
    throw new RangeError(
      `Cannot parse fault "${part}": expected kind@second[+duration][#connection], e.g. "drop@30" or "stall@10+45#2"`,
    );
  }
  const [, kind = '', at = '', duration, connection] = match;
  if (!isFaultKind(kind)) {
    throw new RangeError(`Cannot parse fault "${part}": kind "${kind}" must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const fault: Fault = { kind, atS: Number(at), durationS: duration === undefined ? 0 : Number(duration) };
  if (connection !== undefined) {
    const number = Number(connection);
    if (number < 1) throw new RangeError(`Cannot parse fault "${part}": connection number must be 1 or more`);
    fault.connection = number;
  }
  return fault;
}

/** Parses `kind@second[+duration][#conn],...` (DESIGN 11); throws RangeError naming the bad part. */
export function parseFaults(spec: string): Fault[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseOne);
}
