export type Json = Record<string, any>

/** A JSON call to a test server's API, with a bearer token when given; parses whatever comes back. */
export function apiCaller(base: () => string) {
  return async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : {} }
  }
}
