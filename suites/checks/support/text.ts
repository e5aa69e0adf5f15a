// Text for findings: values shown short, figures rounded.

/** JSON.stringify trimmed for messages. */
export function show(value: unknown, max = 160): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** One decimal, for milliseconds and rates. */
export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The p-th percentile (0..100) of values, nearest-rank; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
