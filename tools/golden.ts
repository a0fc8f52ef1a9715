// Golden files for tests: compare, or rewrite with UPDATE=1 (never when CI=true).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { expect } from 'vitest'

export const updateGolden = process.env.UPDATE === '1' && process.env.CI !== 'true'

/** Expect `actual` to equal the golden file, or (re)write it under UPDATE=1. */
export function golden(file: string, actual: string): void {
  if (updateGolden) {
    writeFileSync(file, actual)
    return
  }
  expect(existsSync(file), `missing golden ${file}: run with UPDATE=1`).toBe(true)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}
