/**
 * A browser's name and operating system read from its User-Agent header, for people to recognise
 * their own sessions ("Firefox 128 on Windows"). Best effort and never trusted: the header is
 * whatever the client sends.
 */
export interface BrowserDescription {
  /** Name and major version, e.g. `Firefox 128`; undefined when not recognised. */
  readonly browser: string | undefined;
  /** e.g. `Windows`, `macOS`, `Android`; undefined when not recognised. */
  readonly os: string | undefined;
}

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and iOS browsers say "Safari".
const BROWSERS: readonly (readonly [name: string, pattern: RegExp])[] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\bOPR\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  // Headless Chrome (automation, scripts) says `HeadlessChrome/…`.
  ['Chrome', /\b(?:Headless)?(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//],
  ['curl', /^curl\/(\d+)/],
];

const SYSTEMS: readonly (readonly [name: string, pattern: RegExp])[] = [
  ['Windows', /\bWindows\b/],
  ['iOS', /\b(?:iPhone|iPad|iPod)\b/],
  ['Android', /\bAndroid\b/],
  ['ChromeOS', /\bCrOS\b/],
  ['macOS', /\bMac OS X\b|\bMacintosh\b/],
  ['Linux', /\bLinux\b/],
];

export function describeUserAgent(userAgent: string): BrowserDescription {
  const browser = BROWSERS.map(([name, pattern]) => {
    const version = pattern.exec(userAgent)?.[1];
    return version ? `${name} ${version}` : undefined;
  }).find((found) => found !== undefined);
  const os = SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0];
  return { browser, os };
}
