import { type FormEvent, useState } from 'react'
import { useLocale } from '../i18n.tsx'
import { navigate } from '../router.tsx'
import { paths } from './paths.ts'
import { EventPageHeader } from './ui.tsx'

/** `/join`: the code read on the poster or the projected slide. */
export function JoinCodePage() {
  const { t } = useLocale()
  const [code, setCode] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const cleaned = code.toUpperCase().replace(/[\s-]/g, '')
    if (cleaned) navigate(paths.join(cleaned))
  }
  return (
    <div className="page">
      <EventPageHeader title={t('home.join')} />
      <main>
        <form onSubmit={submit} className="card inline-form">
          <label htmlFor="join-code">{t('home.joinCode')}</label>
          <input
            id="join-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={12}
            placeholder="ABC234"
          />
          <button type="submit">{t('home.joinSubmit')}</button>
        </form>
      </main>
    </div>
  )
}
