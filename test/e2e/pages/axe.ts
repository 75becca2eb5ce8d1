import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

// axe-core in the page. The app's CSP forbids inline scripts, which is how axe-core gets in: the
// browser context has to be created with `bypassCSP: true`.

const axePath = createRequire(new URL('../../package.json', import.meta.url)).resolve('axe-core/axe.min.js')

export interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** One exception to the audit: a rule, on nodes we do not render, and why. */
export interface AxeExclusion {
  rule: string
  /** CSS selectors of the nodes; the rule still runs everywhere else on the page. */
  selectors: string[]
  why: string
}

interface AxeNode {
  target: unknown[]
  failureSummary?: string
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: AxeNode[] }>
}

/**
 * Serious and critical axe-core violations on the page, with where they are. A violation whose
 * every node falls under one of `exclusions` (same rule, inside a listed selector) is left out;
 * its other nodes still count.
 */
export async function axeViolations(page: Page, exclusions: readonly AxeExclusion[] = []): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath })
  const result = await page.evaluate(async (excluded) => {
    type Axe = { run(context: unknown, options: unknown): Promise<AxeResult> }
    const axe = (window as unknown as { axe: Axe }).axe
    const raw = await axe.run(document, { resultTypes: ['violations'] })
    // Nodes under an excluded selector, for that rule only.
    const isExcluded = (rule: string, node: AxeNode) => {
      const selector = node.target.at(-1)
      if (typeof selector !== 'string') return false
      const element = document.querySelector(selector)
      return excluded.some((exclusion) => exclusion.rule === rule && exclusion.selectors.some((s) => element?.closest(s)))
    }
    return raw.violations.map((violation) => ({ ...violation, nodes: violation.nodes.filter((node) => !isExcluded(violation.id, node)) }))
  }, exclusions)
  return result
    .filter((violation) => (violation.impact === 'serious' || violation.impact === 'critical') && violation.nodes.length > 0)
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => `${JSON.stringify(node.target)} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`.trim()),
    }))
}
