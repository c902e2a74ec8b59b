/** A file size as people read it (Redmine's number_to_human_size): "512 Bytes", "12.3 KB", "4 MB". Pure. */
import type { MessageKey, Translate } from '#src/i18n/index.ts';

const UNITS: readonly MessageKey[] = ['label_size_kb', 'label_size_mb', 'label_size_gb'];

export function humanSize(bytes: number, t: Translate): string {
  if (bytes < 1024) {
    return t('label_size_bytes', { count: String(bytes) });
  }
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
  return t(UNITS[unit]!, { count: shown });
}
