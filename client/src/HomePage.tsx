import { newBoardId } from '@fabrique/protocol'
import { type FormEvent, useState } from 'react'
import { LanguageSwitch, useLocale } from './i18n.tsx'
import { paths } from './event/paths.ts'
import { navigate } from './router.tsx'

export function HomePage() {
  const { t } = useLocale()
  const [code, setCode] = useState('')

  const join = (event: FormEvent) => {
    event.preventDefault()
    const cleaned = code.toUpperCase().replace(/[\s-]/g, '')
    if (cleaned) navigate(paths.join(cleaned))
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <main className="home">
        <p className="tagline">{t('app.tagline')}</p>
        <section className="card">
          <h2>{t('home.join')}</h2>
          <form onSubmit={join} className="inline-form">
            <label htmlFor="join-code">{t('home.joinCode')}</label>
            <input
              id="join-code"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              autoComplete="off"
              autoCapitalize="characters"
              maxLength={12}
              placeholder="ABC234"
            />
            <button type="submit">{t('home.joinSubmit')}</button>
          </form>
        </section>
        <section className="card">
          <h2>{t('home.organise')}</h2>
          <p>{t('home.organiseHelp')}</p>
          <button type="button" onClick={() => navigate(paths.newEvent())}>
            {t('home.organise')}
          </button>
        </section>
        <section className="card">
          <h2>{t('home.newBoard')}</h2>
          <p>{t('home.newBoardHelp')}</p>
          <button type="button" onClick={() => navigate(`/b/${newBoardId()}`)}>
            {t('home.newBoard')}
          </button>
        </section>
      </main>
    </div>
  )
}
