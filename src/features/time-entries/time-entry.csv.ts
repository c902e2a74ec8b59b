/**
 * CSV exports of spent time (Redmine's timelog index.csv and report.csv): UTF-8 with a byte order
 * mark so spreadsheet programs read it as UTF-8, comma-separated, CRLF line ends, hours as decimals.
 */
import { shownHours } from '#src/domain/hours.ts';
import { csvText } from '#src/lib/csv.ts';
import type { ReportNode, TimeReport } from './time-entry.report.ts';

const BOM = '\uFEFF';

export const decimalHours = (hours: number) => shownHours(hours).toFixed(2);

/** The document: a header line and one line per row. */
export function csvDocument(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return BOM + csvText([header, ...rows]);
}

/** The report's lines: one per pivot row (criteria columns, hours per period, total), then the totals. */
export function reportCsvRows(report: TimeReport, noneLabel: string, totalLabel: string): string[][] {
  const depth = report.criteria.length;
  const lines: string[][] = [];
  const walk = (nodes: readonly ReportNode[], level: number) => {
    for (const node of nodes) {
      const criteria = Array.from({ length: depth }, (_, i) => (i === level ? (node.label ?? `[${noneLabel}]`) : ''));
      const periods = report.periods.map((period) => {
        const hours = node.hours.get(period);
        return hours ? decimalHours(hours) : '';
      });
      lines.push([...criteria, ...periods, decimalHours(node.total)]);
      walk(node.children, level + 1);
    }
  };
  walk(report.rows, 0);
  const totals = report.periods.map((period) => {
    const hours = report.hours.get(period);
    return hours ? decimalHours(hours) : '';
  });
  lines.push([totalLabel, ...Array.from({ length: Math.max(0, depth - 1) }, () => ''), ...totals, decimalHours(report.total)]);
  return lines;
}
