/** textile-js ships no types: the one function Kanri calls. */
declare module 'textile-js' {
  interface TextileOptions {
    /** Single line breaks become `<br>` (Redmine's hard breaks). */
    readonly breaks?: boolean;
  }
  const textile: { convert(text: string, options?: TextileOptions): string };
  export = textile;
}
