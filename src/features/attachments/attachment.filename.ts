/**
 * What an attachment's file name may be, and what it says about the content: Redmine's
 * sanitize_filename, File.extname, the allowed/denied extension settings, Redmine::MimeType.of, and the
 * Content-Disposition / URL forms of a name. Pure functions.
 */

/**
 * Redmine's `sanitize_filename`: only the last path component is kept (so `../../etc/passwd` is
 * `passwd`), and runs of characters that are special in paths, URLs or headers become `_`. Control
 * characters go too: PostgreSQL text cannot hold NUL, and no name needs the rest.
 */
export function sanitizeFilename(name: string): string {
  const last = name.replace(/^.*[\\/]/s, '');
  return last.replace(/[/?%*:|"'<>\n\r]+/g, '_').replace(/[\u0000-\u001f\u007f]/g, '_');
}

/** Ruby's `File.extname`: `.zip` of `a.tar.zip`, empty for `README` and `.profile`. */
export function extensionOf(filename: string): string {
  const base = filename.replace(/^\.+/, '');
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}

function extensionList(setting: string): string[] {
  return setting
    .split(',')
    .map((item) => item.trim().toLowerCase().replace(/^\.+/, ''))
    .filter((item) => item !== '');
}

/** Redmine's `Attachment.valid_extension?` over the comma-separated settings (blank: no rule). */
export function isExtensionAllowed(filename: string, rules: { allowed: string; denied: string }): boolean {
  const extension = extensionOf(filename).toLowerCase().replace(/^\.+/, '');
  const denied = extensionList(rules.denied);
  const allowed = extensionList(rules.allowed);
  if (denied.length > 0 && denied.includes(extension)) {
    return false;
  }
  return allowed.length === 0 || allowed.includes(extension);
}

/** Redmine's own table first (it wins over the general one), then common types of other files. */
const TYPES: Readonly<Record<string, string>> = byType({
  'text/plain': 'txt,tpl,properties,patch,diff,ini,readme,install,upgrade,sql,log',
  'text/css': 'css',
  'text/html': 'html,htm,xhtml',
  'text/jsp': 'jsp',
  'text/x-c': 'c,cpp,cc,h,hh',
  'text/x-csharp': 'cs',
  'text/x-java': 'java',
  'text/x-html-template': 'rhtml',
  'text/x-perl': 'pl,pm',
  'text/x-php': 'php,php3,php4,php5',
  'text/x-python': 'py',
  'text/x-ruby': 'rb,rbw,ruby,rake,erb',
  'text/x-csh': 'csh',
  'text/x-sh': 'sh',
  'text/x-textile': 'textile',
  'text/xml': 'xml,xsd,mxml',
  'text/yaml': 'yml,yaml',
  'text/csv': 'csv',
  'text/x-po': 'po',
  'text/markdown': 'md,markdown',
  'text/calendar': 'ics',
  'text/rtf': 'rtf',
  'image/gif': 'gif',
  'image/jpeg': 'jpg,jpeg,jpe',
  'image/png': 'png',
  'image/tiff': 'tiff,tif',
  'image/webp': 'webp',
  'image/x-ms-bmp': 'bmp',
  'image/svg+xml': 'svg',
  'image/vnd.microsoft.icon': 'ico',
  'image/avif': 'avif',
  'application/javascript': 'js',
  'application/json': 'json',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz,tgz',
  'application/x-tar': 'tar',
  'application/x-bzip2': 'bz2',
  'application/x-xz': 'xz',
  'application/x-7z-compressed': '7z',
  'application/vnd.rar': 'rar',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/epub+zip': 'epub',
  'application/wasm': 'wasm',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg,oga',
  'audio/wav': 'wav',
  'audio/flac': 'flac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/quicktime': 'mov',
  'video/x-msvideo': 'avi',
  'video/mpeg': 'mpeg,mpg',
  'font/woff': 'woff',
  'font/woff2': 'woff2',
});

function byType(table: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, extensions] of Object.entries(table)) {
    for (const extension of extensions.split(',')) {
      out[extension] ??= type;
    }
  }
  return out;
}

/** The content type a file name suggests (Redmine::MimeType.of), undefined when unknown. */
export function mimeTypeOf(filename: string): string | undefined {
  const extension = extensionOf(filename).slice(1).toLowerCase();
  return extension !== '' && Object.hasOwn(TYPES, extension) ? TYPES[extension] : undefined;
}

/** `type/subtype` with optional parameters, nothing a header could be bent with. */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;\s*[a-z0-9!#$&^_.+-]+=(?:[a-z0-9!#$&^_.+-]+|"[^"\\\r\n]*"))*$/i;

/**
 * The Content-Type a download is sent with (Redmine's detect_content_type): the stored type unless it
 * is blank or generic, else what the name suggests, else application/octet-stream. A stored value
 * that is no well-formed media type is not sent at all.
 */
export function downloadContentType(storedType: string | null, filename: string): string {
  const stored = storedType?.trim() ?? '';
  if (stored !== '' && stored.toLowerCase() !== 'application/octet-stream' && MEDIA_TYPE.test(stored)) {
    return stored;
  }
  return mimeTypeOf(filename) ?? 'application/octet-stream';
}

/** RFC 5987 / RFC 8187 `attr-char`s stay, every other byte of the UTF-8 name is %-escaped. */
function percentEscape(text: string, keep: RegExp): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` as Rails builds it: an ASCII fallback (accents
 * dropped, anything else `?`, then %-escaped) for old clients, and the exact UTF-8 name for the rest.
 */
export function contentDisposition(disposition: 'attachment' | 'inline', filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
  const fallback = percentEscape(ascii, /[ A-Za-z0-9!#$+.^_`|~-]/);
  const exact = percentEscape(filename, /[A-Za-z0-9!#$&+.^_`|~-]/);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** A file name as one URL path segment (Rails' escape_segment: sub-delims, `:` and `@` stay). */
export function urlSegment(filename: string): string {
  return encodeURIComponent(filename).replace(/%(24|26|2B|2C|3B|3D|3A|40)/g, (escaped) => decodeURIComponent(escaped));
}

/** Redmine's Attachment#image?: the names browsers show as pictures (SVG excluded: it may hold scripts). */
export function isImageFile(filename: string): boolean {
  return /\.(bmp|gif|jpe?g|jpe|png|webp)$/i.test(filename);
}
