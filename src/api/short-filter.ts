/**
 * Redmine's short filter syntax (`field=expr`, contract §5.1), shared by every filtered list: which
 * of the field type's operators the expression starts with, and its values.
 */

/** Ruby's String#split: trailing empty strings are dropped ("" → []). */
function rubySplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts.at(-1) === '') {
    parts.pop();
  }
  return parts;
}

/**
 * Redmine's add_short_filter: the first of the operators, sorted descending, that prefixes the
 * expression; the rest split on `|`. No operator prefixes it → `=` with the whole expression.
 * (So `status_id=open` is `o` and `status_id=closed` is `c`, which clients rely on.)
 */
export function parseShortExpression(operators: readonly string[], expression: string): { operator: string; values: string[] } {
  for (const operator of [...operators].sort().reverse()) {
    if (expression.startsWith(operator)) {
      const rest = expression.slice(operator.length);
      return { operator, values: rest === '' ? [''] : rubySplit(rest, '|') };
    }
  }
  return { operator: '=', values: rubySplit(expression, '|') };
}
