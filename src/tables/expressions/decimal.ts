/**
 * Exact decimal addition for update arithmetic. DynamoDB numbers are decimals of up to 38 digits;
 * doing `SET n = n + :d` in binary floating point would turn 0.1 + 0.2 into 0.30000000000000004.
 */
interface Decimal {
  readonly mantissa: bigint;
  readonly exponent: number; // value = mantissa * 10^exponent
}

function parse(text: string): Decimal {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!match) throw new RangeError(`not a number: ${text}`);
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  const digits = `${whole}${fraction}` || '0';
  const mantissa = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return { mantissa, exponent: Number(exp) - fraction.length };
}

function format({ mantissa, exponent }: Decimal): string {
  if (mantissa === 0n) return '0';
  let m = mantissa;
  let e = exponent;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  const negative = m < 0n;
  const digits = (negative ? -m : m).toString();
  let body: string;
  if (e >= 0) body = digits + '0'.repeat(e);
  else if (-e < digits.length) body = `${digits.slice(0, digits.length + e)}.${digits.slice(digits.length + e)}`;
  else body = `0.${'0'.repeat(-e - digits.length)}${digits}`;
  return negative ? `-${body}` : body;
}

/** `a + b` (or `a - b` when `subtract`) on DynamoDB number texts, exactly. */
export function addDecimal(a: string, b: string, subtract = false): string {
  const x = parse(a);
  const y = parse(b);
  const exponent = Math.min(x.exponent, y.exponent);
  const scale = (d: Decimal) => d.mantissa * 10n ** BigInt(d.exponent - exponent);
  const sum = subtract ? scale(x) - scale(y) : scale(x) + scale(y);
  return format({ mantissa: sum, exponent });
}
