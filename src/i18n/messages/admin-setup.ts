/** Messages of the admin-setup pages. */
export const en = {} as const;

export const ja: Record<keyof typeof en, string> = {};
