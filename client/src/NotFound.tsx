import { useLocale } from './i18n.tsx'
import { navigate } from './router.tsx'

export function NotFound() {
  const { t } = useLocale()
  return (
    <main className="page">
      <h1>{t('notFound.title')}</h1>
      <button type="button" onClick={() => navigate('/')}>
        {t('notFound.back')}
      </button>
    </main>
  )
}
