/** Messages of Sign-in throttling and temporary lockout. */
export const en = {
  mail_subject_soft_lock: 'Your account is temporarily locked',
  mail_body_soft_lock:
    'Hello {{name}},\n\nThere were too many failed sign-in attempts on your account ({{login}}) at {{host}}, the last one from the address {{ip}}. To protect the account, signing in is refused until {{until}}.\n\nIf these attempts were yours, sign in again after that time. If they were not, someone may be trying to guess your password: once you can sign in, change it to a strong one. Setting a new password through "Lost password" also lifts this lock.',
  text_sign_in_locked_until: 'Sign-in is temporarily locked until {{until}} after too many failed attempts.',
} as const;

export const ja: Record<keyof typeof en, string> = {
  mail_subject_soft_lock: 'アカウントが一時的にロックされました',
  mail_body_soft_lock:
    '{{name}} 様\n\n{{host}} のあなたのアカウント ({{login}}) でログインの失敗が続きました。最後の試行元のアドレスは {{ip}} です。アカウントを保護するため、{{until}} までログインを受け付けません。\n\nご自身の操作であれば、その時刻を過ぎてから再度ログインしてください。心当たりがない場合は、第三者がパスワードを推測しようとしている可能性があります。ログインできるようになったら強力なパスワードに変更してください。「パスワードの再設定」で新しいパスワードを設定した場合も、このロックは解除されます。',
  text_sign_in_locked_until: 'ログインの失敗が続いたため、{{until}} までログインが一時的にロックされています。',
};
