/**
 * File and folder names inside the bundle, made like the server's (packages/export labels.ts and
 * zip.ts): ASCII slugs, a second holder of the same name gets `-2`.
 */

export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || fallback
}

/** Hands out names, each once: `name`, then `name-2`, `name-3`... */
export function uniqueNames(reserved: readonly string[] = []): (name: string) => string {
  const used = new Set(reserved)
  return (base) => {
    let name = base
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`
    used.add(name)
    return name
  }
}

/** The slug the server put in a file name: `fiche-mobilites.json` → `mobilites`. */
export function slugOfFilename(filename: string | undefined, prefix: string, suffix: string): string | undefined {
  if (!filename?.startsWith(prefix) || !filename.endsWith(suffix)) return undefined
  const slug = filename.slice(prefix.length, filename.length - suffix.length)
  return /^[a-z0-9-]+$/.test(slug) ? slug : undefined
}
