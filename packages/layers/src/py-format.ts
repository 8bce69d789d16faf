// Numbers as Python's %-formatting writes them, so progress lines read exactly as Keras prints them.

const nonFinite = (x: number): string | null => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : null);

/** Python keeps the sign of −0 ('-0.0000'); JavaScript's toFixed and toExponential drop it. */
const sign = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

/**
 * JavaScript rounds an exact tie away from zero where Python rounds it to even. `exact` is |x| written with
 * 25 more digits than kept (enough to see a tie: a double near one but not on it differs far earlier) and
 * `keep` the length of its kept part; returns that kept part when x is a tie whose last kept digit is even
 * (the truncation is then Python's result), else null (JavaScript's rounding is Python's).
 */
function evenTie(exact: string, keep: number): string | null {
  if (!/^50*$/.test(exact.slice(keep))) return null;
  const kept = exact.slice(0, keep);
  return Number(kept[kept.length - 1]) % 2 === 0 ? kept : null;
}

/** Python's `'%.{digits}f' % x`: `toFixed`, with exact ties (0.03125 at 4 digits, 2.5 at 0) rounded to even. */
export function pyFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  // toFixed switches to exponent notation from 1e21; such doubles are integers, written out exactly by BigInt.
  if (Math.abs(x) >= 1e21) return `${BigInt(x)}${digits ? `.${'0'.repeat(digits)}` : ''}`;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 25));
  const dot = exact.indexOf('.');
  const tie = evenTie(exact.replace('.', ''), dot + digits);
  if (tie === null) return sign(x) + Math.abs(x).toFixed(digits);
  return sign(x) + (digits ? `${tie.slice(0, dot)}.${tie.slice(dot)}` : tie);
}

/** Python's `'%.{digits}e' % x`: `toExponential` with ties to even and an exponent of at least two digits. */
export function pyExp(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const [mantissa, exponent] = Math.abs(x).toExponential(Math.min(100, digits + 25)).split('e');
  const tie = evenTie(mantissa.replace('.', ''), 1 + digits);
  const text = sign(x) + (tie === null ? Math.abs(x).toExponential(digits) : `${tie[0]}${digits ? `.${tie.slice(1)}` : ''}e${exponent}`);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}
