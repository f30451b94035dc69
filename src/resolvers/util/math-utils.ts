/** `util.math`. `randomWithinRange` is inclusive of both bounds. */
function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export const mathUtils = Object.freeze({
  /** Java `Math.round`: half-up towards positive infinity, same as JS `Math.round`. */
  roundNum: (value: unknown): number => Math.round(num(value)),
  minVal: (a: unknown, b: unknown): number => Math.min(num(a), num(b)),
  maxVal: (a: unknown, b: unknown): number => Math.max(num(a), num(b)),
  randomDouble: (): number => Math.random(),
  randomWithinRange: (min: unknown, max: unknown): number => {
    const lo = Math.ceil(Math.min(num(min), num(max)));
    const hi = Math.floor(Math.max(num(min), num(max)));
    return lo + Math.floor(Math.random() * (hi - lo + 1));
  },
});
