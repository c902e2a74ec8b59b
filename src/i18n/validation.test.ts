import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from './index.ts';
import { localizeValidationMessage } from './validation.ts';

const ja = translator('ja');
const en = translator('en');

test('Redmine full messages read in Japanese: attribute label and rule', () => {
  assert.equal(localizeValidationMessage('Subject cannot be blank', ja), '題名を入力してください');
  assert.equal(localizeValidationMessage('Target version is invalid', ja), '対象バージョンが正しくありません');
  assert.equal(localizeValidationMessage('Name is too long (maximum is 60 characters)', ja), '名称は60文字以内で入力してください');
  assert.equal(localizeValidationMessage('Start date is not a valid date', ja), '開始日は正しい日付ではありません');
  assert.equal(localizeValidationMessage("Password doesn't match confirmation", ja), 'パスワードが確認用の入力と一致しません');
});

test('English stays as the service wrote it; unknown attributes and shapes pass through', () => {
  assert.equal(localizeValidationMessage('Subject cannot be blank', en), 'Subject cannot be blank');
  assert.equal(localizeValidationMessage('Favourite colour cannot be blank', ja), 'Favourite colourを入力してください');
  assert.equal(localizeValidationMessage('Something else went wrong', ja), 'Something else went wrong');
});
