/**
 * `"Spine Clinic" --admin <command> [options]` runs an administrator's command without opening a window.
 * The installed app cannot be used as a Node runtime (its runAsNode fuse is off), so this is how the admin
 * commands ship. Returns the command's own arguments, or null when the app should start normally.
 */
export function adminArgsOf(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--admin')
  return at < 0 ? null : argv.slice(at + 1)
}
