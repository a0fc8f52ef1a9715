import type { DomainSpecInput } from '@virtuned/model'

export declare const benchOses: readonly string[]
/** `count` distinct { os, policies, spec } cases (deterministic for a seed). */
export declare function distinctSpecs(count: number, seed?: number): { os: string; policies: string[]; spec: DomainSpecInput & { name: string; nics: { type: string; source?: string }[] } }[]
