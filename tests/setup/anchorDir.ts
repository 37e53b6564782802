/**
 * Vitest global setup: the folder where this run's app and admin commands write their audit anchors
 * (paths.anchorDir, through CLINIC_ANCHOR_DIR in vitest.config.ts), so that no test writes into the runner's
 * home; removed when the run ends.
 */
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One per run: the config and this setup are loaded by the same process. */
export const TEST_ANCHOR_DIR = join(tmpdir(), `clinic-test-anchors-${process.pid}`)

export default function setup() {
  return () => rmSync(TEST_ANCHOR_DIR, { recursive: true, force: true })
}
