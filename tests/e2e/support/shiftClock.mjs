// Test support, never part of the app: loaded with `node --import` into a development bridge that a spec starts
// itself, it moves that process's clock by CLOCK_SHIFT_MS (Date and Date.now; timers run as usual), so that the
// main process and the browser (Playwright's page.clock, moved by the same amount) both live at a moment the spec
// chooses, e.g. 01:00 UTC, whatever the hour of the run.
const shift = Number(process.env.CLOCK_SHIFT_MS ?? '0')
if (!Number.isFinite(shift)) throw new Error(`CLOCK_SHIFT_MS must be a number of milliseconds, not "${process.env.CLOCK_SHIFT_MS}"`)
if (shift !== 0) {
  const RealDate = Date
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + shift)
      else super(...args)
    }
    static now() {
      return RealDate.now() + shift
    }
  }
  globalThis.Date = ShiftedDate
}
