// Prints one line for a page: the Lighthouse run with the median performance score, with its
// metrics and what it transferred. Usage: node summary.mjs LABEL REPORT.json...
import { readFileSync } from 'node:fs';

const [label, ...files] = process.argv.slice(2);
const runs = files
  .map((f) => JSON.parse(readFileSync(f, 'utf8')))
  .map((r) => ({
    score: Math.round(r.categories.performance.score * 100),
    fcp: r.audits['first-contentful-paint'].numericValue,
    lcp: r.audits['largest-contentful-paint'].numericValue,
    tbt: r.audits['total-blocking-time'].numericValue,
    cls: r.audits['cumulative-layout-shift'].numericValue,
    si: r.audits['speed-index'].numericValue,
    tti: r.audits['interactive']?.numericValue,
    bytes: r.audits['total-byte-weight'].numericValue,
  }))
  .sort((a, b) => a.score - b.score);
const median = runs[Math.floor(runs.length / 2)];
const ms = (v) => (v === undefined ? '-' : `${Math.round(v)} ms`);
console.log(
  `${label.padEnd(24)} score ${String(median.score).padStart(3)} (runs ${runs.map((r) => r.score).join(', ')})` +
    `  FCP ${ms(median.fcp)}  LCP ${ms(median.lcp)}  TBT ${ms(median.tbt)}  CLS ${median.cls.toFixed(3)}` +
    `  SI ${ms(median.si)}  TTI ${ms(median.tti)}  ${(median.bytes / 1000).toFixed(1)} KB transferred`,
);
