/** Translation: `translator(lang)` gives the `t()` a view receives in its view model. */
import { en, ja, type MessageKey } from './locales.ts';

export type Language = 'en' | 'ja';
export type { MessageKey } from './locales.ts';
export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string>>) => string;

const CATALOGS: Record<Language, Record<MessageKey, string>> = { en, ja };

export function isLanguage(value: string): value is Language {
  return value === 'en' || value === 'ja';
}

export function translator(lang: Language): Translate {
  const catalog = CATALOGS[lang];
  return (key, vars) => {
    const text = catalog[key];
    return vars ? text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? '') : text;
  };
}

/** The first supported language of an Accept-Language header, if any. */
export function languageFromHeader(header: string | undefined): Language | undefined {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().slice(0, 2) ?? '';
    if (isLanguage(tag)) {
      return tag;
    }
  }
  return undefined;
}
