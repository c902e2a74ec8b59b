/**
 * The message catalogs. Keys follow Redmine's prefixes (label_, field_, button_, notice_, error_,
 * text_); the English catalog defines the keys, and Japanese must have every one (the type says so).
 */
export const en = {
  label_home: 'Home',
  label_login: 'Sign in',
  label_logout: 'Sign out',
  label_logged_as: 'Logged in as',
  label_not_found: 'Page not found',
  label_service_unavailable: 'Service unavailable',
  label_internal_error: 'Internal error',
  label_forbidden: 'Forbidden',
  field_login: 'Login',
  field_password: 'Password',
  button_login: 'Login',
  button_logout: 'Sign out',
  notice_account_invalid_credentials: 'Invalid user or password',
  notice_logged_out: 'You have been signed out.',
  error_invalid_authenticity_token: 'Invalid form authenticity token.',
  text_not_found: 'The page you were trying to access doesn\u2019t exist or has been removed.',
  text_service_unavailable: 'This site is temporarily unavailable. Please try again later.',
  text_internal_error: 'An error occurred on the page you were trying to access. It has been recorded.',
  text_welcome: 'Welcome to {{app_title}}.',
  text_logout_confirm: 'Do you want to sign out?',
} as const;

export type MessageKey = keyof typeof en;

export const ja: Record<MessageKey, string> = {
  label_home: 'ホーム',
  label_login: 'ログイン',
  label_logout: 'ログアウト',
  label_logged_as: 'ログイン中:',
  label_not_found: 'ページが見つかりません',
  label_service_unavailable: 'サービスを利用できません',
  label_internal_error: '内部エラー',
  label_forbidden: 'アクセスが拒否されました',
  field_login: 'ログインID',
  field_password: 'パスワード',
  button_login: 'ログイン',
  button_logout: 'ログアウト',
  notice_account_invalid_credentials: 'ユーザー名もしくはパスワードが無効です',
  notice_logged_out: 'ログアウトしました。',
  error_invalid_authenticity_token: 'フォームの認証トークンが無効です。',
  text_not_found: 'アクセスしようとしたページは存在しないか削除されています。',
  text_service_unavailable: 'このサイトは一時的に利用できません。しばらくしてから再度お試しください。',
  text_internal_error: 'ページの表示中にエラーが発生しました。エラーは記録されています。',
  text_welcome: '{{app_title}} へようこそ。',
  text_logout_confirm: 'ログアウトしますか?',
};
