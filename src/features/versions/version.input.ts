/** The `version` hash of a create/update request (REST body or page form), read the Rails way. */
import { paramBool, paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import type { VersionInput } from './version.service.ts';

/** A scalar as text; null, arrays and hashes count as nil. */
function textOf(value: ParamValue): string | null {
  return paramString(value) ?? null;
}

/**
 * The `version` hash of the request, or undefined when there is none. Keys are read in the order
 * sent, so of `due_date` and its alias `effective_date` the later one wins, as in Rails.
 */
export function versionInputOf(params: Params): VersionInput | undefined {
  const version = paramObject(params.version);
  if (!version) {
    return undefined;
  }
  const input: VersionInput = {};
  for (const [key, value] of Object.entries(version)) {
    switch (key) {
      case 'name':
        input.name = textOf(value);
        break;
      case 'description':
        input.description = textOf(value);
        break;
      case 'status':
        input.status = textOf(value);
        break;
      case 'due_date':
      case 'effective_date':
        input.dueDate = textOf(value);
        break;
      case 'sharing':
        input.sharing = textOf(value);
        break;
      case 'wiki_page_title':
        input.wikiPageTitle = textOf(value);
        break;
      case 'default_project_version':
        input.defaultProjectVersion = paramBool(value) === true;
        break;
      case 'custom_fields':
      case 'custom_field_values':
        input.customValues = version;
        break;
      default:
        break;
    }
  }
  return input;
}
