import { getUserPreferences, setUserPreferences } from 'tldraw'

/** The name others see on the canvas (cursors, people menu) is the participant's pseudonym. */
export function setCanvasName(pseudonym: string): void {
  if (getUserPreferences().name !== pseudonym) setUserPreferences({ ...getUserPreferences(), name: pseudonym })
}
