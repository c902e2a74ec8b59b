/** Messages of the issue-form pages. */
export const en = {} as const;

export const ja: Record<keyof typeof en, string> = {};
