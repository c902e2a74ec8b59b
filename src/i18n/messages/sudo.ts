/** Messages of sudo mode: the password prompt before sensitive changes (security.md §4). */
export const en = {
  label_password_required: 'Confirm your password to continue',
  text_sudo_mode_explanation:
    'This change needs your password again. Once confirmed, you can make further changes of this kind without it for 15 minutes after the last one.',
  error_sudo_invalid_password: 'Invalid password',
  error_sudo_multipart: 'This form sends files and cannot be resent after the password prompt. Confirm your password, then send the form again.',
};

export const ja: Record<keyof typeof en, string> = {
  label_password_required: '続行するにはパスワードを確認してください',
  text_sudo_mode_explanation: 'この変更にはパスワードの再入力が必要です。確認後は、最後の変更から15分間、この種の変更をパスワードなしで行えます。',
  error_sudo_invalid_password: 'パスワードが正しくありません',
  error_sudo_multipart: 'このフォームはファイルを送信するため、パスワード確認の後に再送信できません。パスワードを確認してから、もう一度フォームを送信してください。',
};
