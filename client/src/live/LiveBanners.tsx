import { timeLeft } from '@fabrique/protocol'
import { useEffect, useRef, useState } from 'react'
import type { Locale } from '../i18n.tsx'
import { useLocale } from '../i18n.tsx'
import type { LiveSnapshot } from './liveConnection.ts'
import './live.css'

const strings = {
  fr: {
    timer: 'Minuteur',
    timeUp: 'Temps écoulé !',
    paused: 'en pause',
    left: '{time} restantes',
    fiveMinutes: 'Plus que 5 minutes.',
    oneMinute: 'Plus qu’une minute.',
    sound: 'Signal sonore à zéro',
    locked: 'Ce tableau est verrouillé par l’équipe d’animation : il reste visible mais ne peut plus être modifié.',
    broadcast: 'Message de l’animation',
    dismiss: 'Masquer',
  },
  en: {
    timer: 'Timer',
    timeUp: 'Time is up!',
    paused: 'paused',
    left: '{time} left',
    fiveMinutes: 'Five minutes left.',
    oneMinute: 'One minute left.',
    sound: 'Sound at zero',
    locked: 'The facilitators locked this board: it stays visible but can no longer be changed.',
    broadcast: 'Message from the facilitators',
    dismiss: 'Hide',
  },
} satisfies Record<Locale, Record<string, string>>

export function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const mm = String(minutes).padStart(hours > 0 ? 2 : 1, '0')
  const ss = String(seconds).padStart(2, '0')
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`
}

/** A short beep with WebAudio: no file to fetch, nothing leaves the origin. */
function beep(): void {
  const AudioContextClass = window.AudioContext
  if (!AudioContextClass) return
  const context = new AudioContextClass()
  const oscillator = context.createOscillator()
  const gain = context.createGain()
  oscillator.frequency.value = 880
  gain.gain.setValueAtTime(0.2, context.currentTime)
  gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.8)
  oscillator.connect(gain).connect(context.destination)
  oscillator.start()
  oscillator.stop(context.currentTime + 0.8)
  oscillator.onended = () => void context.close()
}

/** The countdown every board of the event shows, from the server's clock. */
export function TimerBadge({ live }: { live: LiveSnapshot }) {
  const { locale } = useLocale()
  const s = strings[locale]
  const [now, setNow] = useState(() => Date.now())
  const [sound, setSound] = useState(() => localStorage.getItem('fabrique-timer-sound') === 'on')
  const [announcement, setAnnouncement] = useState('')
  const announced = useRef(new Set<string>())
  const { timer } = live
  const left = timeLeft(timer, now + live.clockOffsetMs)

  useEffect(() => {
    if (timer.status !== 'running') return
    const interval = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(interval)
  }, [timer.status])

  // Screen readers hear the milestones once per run of the timer, not every second.
  useEffect(() => {
    if (timer.status !== 'running') return
    const run = `${timer.startedAt}:${timer.remainingMs}`
    const milestone = left === 0 ? 'zero' : left <= 60_000 ? 'one' : left <= 300_000 ? 'five' : undefined
    if (!milestone || announced.current.has(`${run}:${milestone}`)) return
    announced.current.add(`${run}:${milestone}`)
    setAnnouncement(milestone === 'zero' ? s.timeUp : milestone === 'one' ? s.oneMinute : s.fiveMinutes)
    if (milestone === 'zero' && sound) beep()
  }, [left, timer.status, timer.startedAt, timer.remainingMs, s, sound])

  if (timer.status === 'idle') return null
  const done = timer.status === 'running' && left === 0
  return (
    <div className={`timer-badge${done ? ' timer-done' : ''}`} data-testid="timer" data-left-ms={left}>
      <span className="timer-title">{timer.title || s.timer}</span>
      <span className="timer-time" aria-hidden="true">
        {done ? s.timeUp : formatDuration(left)}
      </span>
      {timer.status === 'paused' && <span className="timer-paused">({s.paused})</span>}
      <span className="visually-hidden">{s.left.replace('{time}', formatDuration(left))}</span>
      <label className="timer-sound">
        <input
          type="checkbox"
          checked={sound}
          onChange={(event) => {
            setSound(event.target.checked)
            localStorage.setItem('fabrique-timer-sound', event.target.checked ? 'on' : 'off')
          }}
        />
        <span>{s.sound}</span>
      </label>
      <span className="visually-hidden" role="status" aria-live="assertive">
        {announcement}
      </span>
    </div>
  )
}

export function BroadcastBanner({ live }: { live: LiveSnapshot }) {
  const { locale } = useLocale()
  const [dismissed, setDismissed] = useState<string>()
  const { broadcast } = live
  if (!broadcast || broadcast.id === dismissed) return null
  return (
    <div className="notice notice-broadcast" role="alert" data-testid="broadcast">
      <strong>{strings[locale].broadcast} :</strong>
      <span>{broadcast.text}</span>
      <button type="button" className="secondary" onClick={() => setDismissed(broadcast.id)}>
        {strings[locale].dismiss}
      </button>
    </div>
  )
}

export function LockBanner({ locked }: { locked: boolean }) {
  const { locale } = useLocale()
  if (!locked) return null
  return (
    <div className="notice notice-warning" role="status" data-testid="locked">
      {strings[locale].locked}
    </div>
  )
}
