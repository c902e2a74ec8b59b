/** Messages of the admin pages. */
export const en = {} as const;

export const ja: Record<keyof typeof en, string> = {};
