/** A request is an API request when its format is json or xml: by path suffix, or `format=` (§1.1). */
export type ApiFormat = 'json' | 'xml';

export function apiFormatOf(url: string): ApiFormat | undefined {
  const [path = '', query = ''] = url.split('?', 2);
  if (path.endsWith('.json')) {
    return 'json';
  }
  if (path.endsWith('.xml')) {
    return 'xml';
  }
  const format = new URLSearchParams(query).get('format');
  return format === 'json' || format === 'xml' ? format : undefined;
}

export const API_CONTENT_TYPE: Record<ApiFormat, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};
