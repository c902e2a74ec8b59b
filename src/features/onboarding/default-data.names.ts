/**
 * Names of the default records, as Redmine's locales give them (config/locales/en.yml and ja.yml,
 * keys default_role_*, default_tracker_*, default_issue_status_*, default_priority_*,
 * default_activity_*, default_doc_category_*). Arrays are in position order.
 */
import type { DefaultDataLanguage } from './default-data.ts';

export interface DefaultDataNames {
  roles: { manager: string; developer: string; reporter: string };
  issueStatuses: {
    new: string;
    inProgress: string;
    resolved: string;
    feedback: string;
    closed: string;
    rejected: string;
  };
  trackers: { bug: string; feature: string; support: string };
  /** Low, Normal, High, Urgent, Immediate. */
  issuePriorities: readonly [string, string, string, string, string];
  /** Design, Development. */
  timeEntryActivities: readonly [string, string];
  /** User documentation, Technical documentation. */
  documentCategories: readonly [string, string];
}

/**
 * Stored names of the builtin roles. Redmine stores these English names in every language and
 * shows label_role_non_member / label_role_anonymous instead (ja: 非メンバー, 匿名ユーザー).
 */
export const BUILTIN_ROLE_NAMES = { nonMember: 'Non member', anonymous: 'Anonymous' } as const;

export const DEFAULT_DATA_NAMES: Readonly<Record<DefaultDataLanguage, DefaultDataNames>> = {
  en: {
    roles: { manager: 'Manager', developer: 'Developer', reporter: 'Reporter' },
    issueStatuses: {
      new: 'New',
      inProgress: 'In Progress',
      resolved: 'Resolved',
      feedback: 'Feedback',
      closed: 'Closed',
      rejected: 'Rejected',
    },
    trackers: { bug: 'Bug', feature: 'Feature', support: 'Support' },
    issuePriorities: ['Low', 'Normal', 'High', 'Urgent', 'Immediate'],
    timeEntryActivities: ['Design', 'Development'],
    documentCategories: ['User documentation', 'Technical documentation'],
  },
  ja: {
    roles: { manager: '管理者', developer: '開発者', reporter: '報告者' },
    issueStatuses: {
      new: '新規',
      inProgress: '進行中',
      resolved: '解決',
      feedback: 'フィードバック',
      closed: '終了',
      rejected: '却下',
    },
    trackers: { bug: 'バグ', feature: '機能', support: 'サポート' },
    issuePriorities: ['低め', '通常', '高め', '急いで', '今すぐ'],
    timeEntryActivities: ['設計作業', '開発作業'],
    documentCategories: ['ユーザー文書', '技術文書'],
  },
};
