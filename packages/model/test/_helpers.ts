import { expect } from 'vitest'
import { DomainModelError } from '../src/index.ts'

/** The DomainModelError that `run` throws (fails the test if it throws anything else or nothing). */
export function errorOf(run: () => unknown): DomainModelError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(DomainModelError)
    return error as DomainModelError
  }
  throw new Error('expected a DomainModelError')
}
