// Numbers as Python's %-formatting writes them, so progress lines read exactly as Keras prints them.

const nonFinite = (x: number): string | null => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : null);

/**
 * Python's `'%.{digits}f' % x`. `toFixed` agrees except on an exact tie (a dyadic x such as 0.03125 at 4
 * digits, or 2.5 at 0), which it rounds away from zero where Python rounds to even.
 */
export function pyFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const rounded = x.toFixed(digits);
  // 25 more digits show a tie exactly: a double near a tie but not on it differs far earlier.
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 25));
  const dot = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(dot + 1 + digits))) return rounded;
  const truncated = exact.slice(0, digits === 0 ? dot : dot + 1 + digits);
  if (Number(truncated[truncated.length - 1]) % 2 === 1) return rounded;
  return (x < 0 ? '-' : '') + truncated;
}

/** Python's `'%.{digits}e' % x`: JavaScript's `toExponential` with the exponent written with at least two digits. */
export function pyExp(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  return x.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
}
