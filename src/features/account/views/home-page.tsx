/** The tenant's home page (Redmine's /): the welcome text. */
import type { Translate } from '#src/i18n/index.ts';

export interface HomePageProps {
  readonly t: Translate;
  readonly appTitle: string;
  readonly welcomeText: string;
}

export function HomePage({ t, appTitle, welcomeText }: HomePageProps) {
  return (
    <div id="home">
      <h2>{t('label_home')}</h2>
      <p class="wiki">{welcomeText || t('text_welcome', { app_title: appTitle })}</p>
    </div>
  );
}
