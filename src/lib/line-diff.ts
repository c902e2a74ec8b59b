/**
 * A line diff of two texts (longest common subsequence of lines): each line kept, removed or added,
 * in reading order. Texts past a few thousand lines on both sides are answered as "all removed, all
 * added" rather than with a quadratic table.
 */
export interface DiffLine {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
}

const MAX_CELLS = 4_000_000;

function linesOf(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n?/g, '\n').split('\n');
}

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = linesOf(before);
  const b = linesOf(after);
  // Common head and tail cost nothing and keep the table small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head += 1;
  }
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail += 1;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const middle: DiffLine[] = [];
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    middle.push(...x.map((text) => ({ kind: 'removed' as const, text })), ...y.map((text) => ({ kind: 'added' as const, text })));
  } else {
    // lengths[i][j]: the longest common subsequence of x[i..] and y[j..].
    const width = y.length + 1;
    const lengths = new Uint32Array((x.length + 1) * width);
    for (let i = x.length - 1; i >= 0; i -= 1) {
      for (let j = y.length - 1; j >= 0; j -= 1) {
        lengths[i * width + j] = x[i] === y[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        middle.push({ kind: 'same', text: x[i]! });
        i += 1;
        j += 1;
      } else if (i < x.length && (j === y.length || lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)) {
        middle.push({ kind: 'removed', text: x[i]! });
        i += 1;
      } else {
        middle.push({ kind: 'added', text: y[j]! });
        j += 1;
      }
    }
  }
  const same = (lines: string[]) => lines.map((text) => ({ kind: 'same' as const, text }));
  return [...same(a.slice(0, head)), ...middle, ...same(a.slice(a.length - tail))];
}
