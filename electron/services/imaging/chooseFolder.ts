/**
 * `imaging.import.chooseFolder`: the system's folder dialog for the import, where the app has one (the desktop app,
 * over the window that asked), as Settings > Backups does (services/settings.ts chooseBackupFolder). The development
 * bridge in a browser has none: it answers available: false and the screen keeps the typed path. The folder chosen
 * goes back to the screen only; imaging.scan then checks and reads it as it does a typed one.
 */
import type { ChooseFolderResult } from '../../../shared/schemas/settings'
import type { ServiceContext } from '../context'

export async function chooseImportFolder(ctx: ServiceContext): Promise<ChooseFolderResult> {
  if (!ctx.chooseFolder) return { available: false, folder: null }
  const folder = await ctx.chooseFolder({ title: "Choose the folder of the patient's CD or USB stick" })
  return { available: true, folder }
}
