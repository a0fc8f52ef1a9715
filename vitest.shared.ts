import { basename } from 'node:path'
import type { ViteUserConfig } from 'vitest/config'

/**
 * Settings every package's vitest.config.ts shares: tests run on sources (the
 * `@virtuned/source` export condition), and each package writes a JSON report
 * that `tools/test.mjs` sums into one closing line.
 */
export function shared(packageDir: string): ViteUserConfig {
  return {
    resolve: { conditions: ['@virtuned/source'] },
    ssr: { resolve: { conditions: ['@virtuned/source'] } },
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: `.reports/${basename(packageDir)}.json` },
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  }
}
