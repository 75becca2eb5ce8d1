import { LanguageSwitch, useLocale } from './i18n.tsx'
import { navigate } from './router.tsx'

export function NotFound() {
  const { t } = useLocale()
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('notFound.title')}</h1>
        <LanguageSwitch />
      </header>
      <main>
        <button type="button" onClick={() => navigate('/')}>
          {t('notFound.back')}
        </button>
      </main>
    </div>
  )
}
