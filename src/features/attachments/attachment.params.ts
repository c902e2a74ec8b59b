/** Reading upload tokens out of a create/update request the way Redmine's controllers do. */
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import type { UploadParam } from './attachable.service.ts';

/**
 * Rails' order for a hash of items keyed "1", "2"…: numeric keys in numeric order, after the
 * non-numeric ones (which sort as strings) — acts_as_attachable's save_attachments.
 */
function itemsOf(value: ParamValue): ParamValue[] {
  if (Array.isArray(value)) {
    return value;
  }
  const hash = paramObject(value);
  if (!hash) {
    return [];
  }
  const numberOf = (key: string) => Number.parseInt(key, 10) || 0;
  const keys = Object.keys(hash).sort((a, b) => {
    const [x, y] = [numberOf(a), numberOf(b)];
    if (x > 0 && y > 0) {
      return x - y;
    }
    if (x > 0 || y > 0) {
      return x > 0 ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  // XML without type="array" gives {upload: [...]} for repeated elements: take those items too.
  return keys.flatMap((key) => {
    const item = hash[key] ?? null;
    return Array.isArray(item) ? item : [item];
  });
}

/**
 * The uploads of a request: top-level `attachments`, else `<root>.uploads` (Redmine's
 * `params[:attachments] || params[:issue][:uploads]`), as an array or a hash keyed "1", "2"….
 * Items without a token are skipped as Redmine skips them; [] when the request names none.
 */
export function uploadParamsOf(params: Params, root = 'issue'): UploadParam[] {
  const given = params.attachments ?? paramObject(params[root])?.uploads;
  if (given === undefined || given === null) {
    return [];
  }
  return itemsOf(given).flatMap((item) => {
    const fields = paramObject(item);
    const token = paramString(fields?.token);
    if (!fields || token === undefined || token.trim() === '') {
      return [];
    }
    return [
      {
        token,
        filename: paramString(fields.filename),
        contentType: paramString(fields.content_type),
        description: paramString(fields.description),
      },
    ];
  });
}
