#!/usr/bin/env node
// `npm test [FILE…]`: runs the test files (default: every *.test.ts under src/ and test/) with Node's
// test runner, in batches. Loading the app's modules through the TypeScript loader costs about 2 s of
// CPU per process, so one process per file spent minutes of the suite on loading alone: a batch is
// one process that runs several files one after another (--test-isolation=none), and LANES batches
// run side by side. Heavy files go first and in small batches so the lanes end together. Each batch's
// report is printed whole when it ends (never interleaved); the totals and every SKIPPED line come last.
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LANES = Number(process.env.KANRI_TEST_LANES) || Math.max(2, Math.min(3, availableParallelism() + 1));

/** Files per batch by folder, heaviest first: browser flows alone, database-bound files in threes. */
const BATCHING = [
  { under: 'test/e2e/', size: 1 },
  { under: 'test/compat/', size: 3 },
  { under: 'test/pages/', size: 3 },
  { under: 'test/', size: 3 },
  { under: 'src/', size: 12 },
];

function testFiles(args) {
  const patterns = args.length > 0 ? args : ['src/**/*.test.ts', 'test/**/*.test.ts'];
  const files = patterns.flatMap((pattern) => globSync(pattern, { cwd: ROOT }).map((file) => relative(ROOT, `${ROOT}/${file}`)));
  return [...new Set(files)].sort();
}

function batchesOf(files) {
  const batches = [];
  for (const { under, size } of BATCHING) {
    const mine = files.filter((file) => file.startsWith(under) && !batches.some((batch) => batch.includes(file)));
    for (let i = 0; i < mine.length; i += size) {
      batches.push(mine.slice(i, i + size));
    }
  }
  const rest = files.filter((file) => !batches.some((batch) => batch.includes(file)));
  return rest.length > 0 ? [...batches, rest] : batches;
}

const children = new Set();

/** Runs one batch; resolves with its exit code and everything it printed. */
function runBatch(files) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-isolation=none', '--test-timeout=600000', '--test-reporter=spec', ...files],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ files, code: code ?? 1, signal, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const SUMMARY = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/gm;

async function main() {
  const files = testFiles(process.argv.slice(2));
  if (files.length === 0) {
    process.stderr.write('no test files match\n');
    return 2;
  }
  const queue = batchesOf(files);
  const total = queue.length;
  const totals = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const skippedLines = new Set();
  const failedBatches = [];
  const started = Date.now();
  let done = 0;

  async function lane() {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const result = await runBatch(batch);
      done += 1;
      for (const [, name, count] of result.output.matchAll(SUMMARY)) {
        totals[name] += Number(count);
      }
      for (const line of result.output.split('\n')) {
        if (line.startsWith('SKIPPED:')) {
          skippedLines.add(line);
        }
      }
      const failed = result.code !== 0;
      if (failed) {
        failedBatches.push(result);
      }
      process.stdout.write(
        `\n── batch ${done}/${total} (${result.seconds.toFixed(1)} s${failed ? `, FAILED: exit ${result.signal ?? result.code}` : ''}): ${result.files.join(' ')}\n${result.output}`,
      );
    }
  }

  await Promise.all(Array.from({ length: Math.min(LANES, total) }, lane));

  const minutes = (Date.now() - started) / 60_000;
  process.stdout.write(
    `\n══ ${files.length} files in ${total} batches, ${LANES} at a time, ${minutes.toFixed(1)} min\n` +
      Object.entries(totals)
        .map(([name, count]) => `ℹ ${name} ${count}`)
        .join('\n') +
      '\n',
  );
  for (const line of skippedLines) {
    process.stdout.write(`${line}\n`);
  }
  for (const result of failedBatches) {
    process.stdout.write(`FAILED batch: ${result.files.join(' ')}\n`);
  }
  return failedBatches.length > 0 || totals.fail > 0 || totals.cancelled > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) {
      child.kill(signal);
    }
    process.exit(130);
  });
}

process.exitCode = await main();
