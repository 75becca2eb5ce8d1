/** Runtime configuration served by the Fabrique server (set at deploy time, not baked into the build). */
export interface ClientConfig {
  tldrawLicenseKey: string | null
  protocolVersion: number
  maxAssetBytes: number
}

let pending: Promise<ClientConfig> | undefined

export function loadConfig(): Promise<ClientConfig> {
  pending ??= fetch('/api/config').then(async (response) => {
    if (!response.ok) throw new Error(`GET /api/config: ${response.status}`)
    return (await response.json()) as ClientConfig
  })
  return pending
}

/** ws(s)://host/sync, from the page's own origin. */
export function syncServerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/sync`
}
