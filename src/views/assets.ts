/**
 * The files browsers load: the client islands (`src/client/*.ts`, bundled by esbuild when the server
 * starts) and the stylesheet (the parts in `public/stylesheets/`, joined in a fixed order). Each is
 * served under a name with its content hash, so browsers may keep it for a year.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

export interface Assets {
  /** By URL path: `/javascripts/application-1a2b3c4d.js`, `/stylesheets/application-….css`. */
  readonly files: ReadonlyMap<string, Asset>;
  /** Island name (file name in src/client without `.ts`) → its URL. */
  readonly scripts: ReadonlyMap<string, string>;
  readonly stylesheet: string;
  /** Themes (`public/themes/<name>/application.css`, optional `theme.js`) by name → their URLs. */
  readonly themes: ReadonlyMap<string, { readonly stylesheet: string; readonly script?: string | undefined }>;
}

const CLIENT_DIR = fileURLToPath(new URL('../client/', import.meta.url));
const STYLES_DIR = fileURLToPath(new URL('../../public/stylesheets/', import.meta.url));
const THEMES_DIR = fileURLToPath(new URL('../../public/themes/', import.meta.url));

/** Stylesheet parts, general to particular; an area adds its file here. */
export const STYLESHEET_PARTS = ['base.css', 'layout.css', 'forms.css', 'tables.css', 'formatting.css', 'issues.css', 'issue-form.css', 'projects.css', 'admin.css', 'admin-setup.css', 'my.css'];

const hashOf = (body: Buffer | Uint8Array) => createHash('sha256').update(body).digest('hex').slice(0, 12);

async function buildAssets(): Promise<Assets> {
  const entries = (await readdir(CLIENT_DIR)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const result = await build({
    entryPoints: entries.map((name) => CLIENT_DIR + name),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    outdir: '/out',
    logLevel: 'silent',
  });
  const files = new Map<string, Asset>();
  const scripts = new Map<string, string>();
  for (const output of result.outputFiles) {
    const name = output.path.replace(/^.*\//, '').replace(/\.js$/, '');
    const url = `/javascripts/${name}-${hashOf(output.contents)}.js`;
    files.set(url, { body: Buffer.from(output.contents), type: 'text/javascript; charset=utf-8' });
    scripts.set(name, url);
  }
  const present = new Set(await readdir(STYLES_DIR));
  const css = Buffer.concat(
    await Promise.all(STYLESHEET_PARTS.filter((part) => present.has(part)).map((part) => readFile(STYLES_DIR + part))),
  );
  const stylesheet = `/stylesheets/application-${hashOf(css)}.css`;
  files.set(stylesheet, { body: css, type: 'text/css; charset=utf-8' });
  // The unhashed name, for pages rendered before any tenant is known and for themes that import it.
  files.set('/stylesheets/application.css', { body: css, type: 'text/css; charset=utf-8' });
  return { files, scripts, stylesheet, themes: await loadThemes(files) };
}

/**
 * A theme is a stylesheet loaded after the default one (and an optional script), as Redmine themes
 * are; it styles Redmine's ids and classes. Chosen per tenant by the `ui_theme` setting.
 */
async function loadThemes(files: Map<string, Asset>): Promise<Assets['themes']> {
  const themes = new Map<string, { stylesheet: string; script?: string | undefined }>();
  const names = await readdir(THEMES_DIR).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^[a-z0-9_-]+$/.test(n)).sort()) {
    const css = await readFile(`${THEMES_DIR}${name}/application.css`).catch(() => undefined);
    if (!css) {
      continue;
    }
    const stylesheet = `/themes/${name}/application-${hashOf(css)}.css`;
    files.set(stylesheet, { body: css, type: 'text/css; charset=utf-8' });
    const js = await readFile(`${THEMES_DIR}${name}/theme.js`).catch(() => undefined);
    const script = js ? `/themes/${name}/theme-${hashOf(js)}.js` : undefined;
    if (js && script) {
      files.set(script, { body: js, type: 'text/javascript; charset=utf-8' });
    }
    themes.set(name, { stylesheet, script });
  }
  return themes;
}

/** Names of the installed themes, for the Display settings. */
export function themeNames(): string[] {
  return [...assets().themes.keys()];
}

let loading: Promise<Assets> | undefined;
let loaded: Assets | undefined;

/** Builds the assets once per process. */
export async function loadAssets(): Promise<Assets> {
  loading ??= buildAssets().then((assets) => (loaded = assets));
  return loading;
}

/** The built assets; `loadAssets()` must have finished (buildApp awaits it). */
export function assets(): Assets {
  if (!loaded) {
    throw new Error('assets are not built yet: await loadAssets() first');
  }
  return loaded;
}

/** URLs of the islands a page asks for, `application` first. */
export function scriptUrls(names: readonly string[]): string[] {
  const { scripts } = assets();
  return ['application', ...names.filter((n) => n !== 'application')].map((name) => {
    const url = scripts.get(name);
    if (!url) {
      throw new Error(`no client script ${name} in src/client`);
    }
    return url;
  });
}
