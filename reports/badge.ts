// badge.svg: a shields.io-style flat badge, "OpenAI-compatible | MUST 100%".
// Colour by the MUST pass rate; red as soon as any MUST check fails.
import { escapeHtml as e } from './escape.ts';
import type { ComplianceReport } from './model.ts';
import { mustFailures, tallyByLevel } from './summary.ts';

export const BADGE_COLORS = {
  brightgreen: '#4c1',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  grey: '#9f9f9f',
};

// Verdana advance widths (units per 2048 em) for the characters a badge uses; others count as 'o'.
const VERDANA: Record<string, number> = {
  ' ': 720, '!': 824, '%': 2208, '(': 929, ')': 929, '+': 1716, ',': 745, '-': 874, '.': 745, '/': 1079, ':': 889, '·': 745, '|': 1110,
  '0': 1302, '1': 1302, '2': 1302, '3': 1302, '4': 1302, '5': 1302, '6': 1302, '7': 1302, '8': 1302, '9': 1302,
  A: 1401, B: 1405, C: 1435, D: 1577, E: 1294, F: 1178, G: 1587, H: 1540, I: 862, J: 939, K: 1407, L: 1170, M: 1728,
  N: 1536, O: 1612, P: 1258, Q: 1612, R: 1433, S: 1401, T: 1262, U: 1499, V: 1401, W: 2025, X: 1405, Y: 1262, Z: 1405,
  a: 1229, b: 1276, c: 1064, d: 1276, e: 1221, f: 720, g: 1276, h: 1296, i: 562, j: 676, k: 1212, l: 562, m: 1992,
  n: 1296, o: 1243, p: 1276, q: 1276, r: 874, s: 1064, t: 807, u: 1296, v: 1212, w: 1675, x: 1212, y: 1212, z: 1087,
};

/** Width in px of `text` in Verdana 11px, as shields.io lays badges out. */
export function textWidth(text: string): number {
  let units = 0;
  for (const ch of text) units += VERDANA[ch] ?? 1243;
  return (units * 11) / 2048;
}

export interface BadgeInfo {
  label: string;
  message: string;
  color: string;
}

export function badgeInfo(report: ComplianceReport, label = 'OpenAI-compatible'): BadgeInfo {
  const must = tallyByLevel(report.checks).MUST;
  if (must.total === 0) return { label, message: 'MUST n/a', color: BADGE_COLORS.grey };
  // Round down: 99.6% must never read as 100%.
  const pct = Math.floor((must.passed / must.total) * 100);
  const message = `MUST ${pct}%`;
  if (mustFailures(report) > 0) return { label, message, color: BADGE_COLORS.red };
  if (must.passed === must.total) return { label, message, color: BADGE_COLORS.brightgreen };
  return { label, message, color: pct >= 90 ? BADGE_COLORS.yellow : BADGE_COLORS.orange };
}

export function renderBadge(report: ComplianceReport, label?: string): string {
  const b = badgeInfo(report, label);
  const lw = Math.round(textWidth(b.label) + 10);
  const rw = Math.round(textWidth(b.message) + 10);
  const w = lw + rw;
  const title = `${b.label}: ${b.message}`;
  const text = (s: string, x: number, width: number) =>
    `<text aria-hidden="true" x="${x * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${Math.round((width - 10) * 10)}">${e(s)}</text>` +
    `<text x="${x * 10}" y="140" transform="scale(.1)" fill="#fff" textLength="${Math.round((width - 10) * 10)}">${e(s)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${e(title)}"><title>${e(title)}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${b.color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">${text(b.label, lw / 2, lw)}${text(b.message, lw + rw / 2, rw)}</g></svg>\n`;
}
