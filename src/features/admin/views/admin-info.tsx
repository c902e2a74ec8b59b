/** Redmine's /admin/info: the version, the checks, the environment and the tenant's data sizes. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { SystemInfo } from '../admin-info.ts';

/** Bytes as the largest unit that keeps a number ≥ 1 (Rails' number_to_human_size). */
export function humanSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}

export function AdminInfoPage({ t, info }: { t: Translate; info: SystemInfo }): VNode {
  const rows: [string, string][] = [
    [t('label_kanri_version'), info.version],
    [t('label_node_version'), info.nodeVersion],
    [t('label_platform'), info.platform],
    [t('label_database'), `${info.databaseEngine} ${info.database.serverVersion}`],
    [t('label_database_size'), humanSize(info.database.databaseBytes)],
    [t('label_attachment_plural'), `${info.database.attachmentCount} (${humanSize(info.database.attachmentBytes)})`],
  ];
  return (
    <>
      <h2>{t('label_information_plural')}</h2>
      <p>
        <strong>Kanri {info.version}</strong>
      </p>
      <table class="list" id="admin-checks">
        <tbody>
          {info.checks.map((check) => (
            <tr class={check.ok ? 'ok' : 'failed'}>
              <td class="name">{t(check.key)}</td>
              <td class="status">
                <span class={`icon ${check.ok ? 'icon-ok' : 'icon-error'}`}>{check.ok ? t('label_check_ok') : t('label_check_failed')}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('label_environment')}</h3>
      <table class="list" id="admin-environment">
        <tbody>
          {rows.map(([label, value]) => (
            <tr>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
