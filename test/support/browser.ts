/**
 * Browser tests drive the system's Chromium (Debian's `chromium` package) through playwright-core;
 * playwright never downloads a browser here. KANRI_CHROMIUM names another executable. Without a
 * usable Chromium the browser tests are skipped and say so — unless KANRI_TEST_REQUIRE_CHROMIUM=1,
 * which makes that a failure.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KANRI_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless and quiet: no GPU, no QUIC, no calls home. Chromium resolves `*.localhost` to loopback by
 * itself, so tenant hosts need no resolver rule (were one ever needed:
 * `--host-resolver-rules=MAP *.localhost 127.0.0.1`).
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let usable: Promise<string | undefined> | undefined;

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumUnavailable(): Promise<string | undefined> {
  usable ??= (async () => {
    const reason = await probeChromium();
    if (reason === undefined) {
      return undefined;
    }
    if (process.env.KANRI_TEST_REQUIRE_CHROMIUM === '1') {
      throw new Error(`KANRI_TEST_REQUIRE_CHROMIUM=1 but ${reason}`);
    }
    process.stderr.write(`SKIPPED: browser tests: ${reason}\n`);
    return reason;
  })();
  return usable;
}

/** `--version` runs the real binary: catches a missing file and missing shared libraries alike. */
async function probeChromium(): Promise<string | undefined> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set KANRI_CHROMIUM)`;
  }
  return new Promise((resolve) => {
    execFile(CHROMIUM_PATH, ['--version'], { timeout: 15_000 }, (error, stdout) => {
      resolve(
        error || !/chrom/i.test(stdout)
          ? `${CHROMIUM_PATH} does not run (${error?.message.split('\n')[0] ?? `printed ${JSON.stringify(stdout.trim())}`})`
          : undefined,
      );
    });
  });
}

/** A headless Chromium with a fresh profile of its own; close it in `after`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}
