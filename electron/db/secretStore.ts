/**
 * Where the saved PostgreSQL password is kept: encrypted with the operating system's keystore (Electron's
 * safeStorage: Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on Linux), never in plain
 * text. Nothing here imports Electron: the Electron main process passes its `safeStorage` in as a
 * `Keystore`; plain Node (the development bridge, the admin command line, the tests) has no keystore and
 * uses `NO_KEYSTORE`, which refuses to store a password.
 */

export interface SecretStore {
  /** null when a password can be stored safely here; otherwise why not (shown to the administrator). */
  unavailableReason(): Promise<string | null>
  /** The encrypted text to write to disk (base64). */
  encrypt(plain: string): Promise<string>
  decrypt(stored: string): Promise<string>
}

/** The part of Electron's `safeStorage` used here (its asynchronous API). */
export interface Keystore {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Buffer>
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
  /** Linux only: which password manager backs the keystore ('basic_text' = none, a fixed key). */
  getSelectedStorageBackend?(): string
}

export const NO_KEYSTORE_ADVICE =
  'Leave the password empty and put it in the ~/.pgpass file of the account that runs the app ' +
  '(%APPDATA%\\postgresql\\pgpass.conf on Windows), or start the app with CLINIC_DB_URL set.'

export function keystoreSecretStore(keystore: Keystore, platform: NodeJS.Platform = process.platform): SecretStore {
  async function unavailableReason(): Promise<string | null> {
    if (platform === 'linux' && keystore.getSelectedStorageBackend) {
      // Without a keyring Chromium falls back to a key written in its own source code: no protection.
      const backend = keystore.getSelectedStorageBackend()
      if (backend === 'basic_text' || backend === 'unknown') {
        return `This computer has no keyring (GNOME Keyring or KWallet), so a password cannot be stored safely. ${NO_KEYSTORE_ADVICE}`
      }
    }
    if (!(await keystore.isAsyncEncryptionAvailable())) {
      return `This computer's keystore is not available, so a password cannot be stored safely. ${NO_KEYSTORE_ADVICE}`
    }
    return null
  }
  return {
    unavailableReason,
    async encrypt(plain) {
      const why = await unavailableReason()
      if (why) throw new Error(why)
      return (await keystore.encryptStringAsync(plain)).toString('base64')
    },
    async decrypt(stored) {
      try {
        return (await keystore.decryptStringAsync(Buffer.from(stored, 'base64'))).result
      } catch {
        throw new Error(
          "The saved database password cannot be decrypted with this computer's keystore (was the settings file copied from another computer or user?). " +
            'Save the connection again on the Database screen, or set CLINIC_DB_URL.',
        )
      }
    },
  }
}

/** Plain Node: no OS keystore. Passwords are refused; a saved encrypted one cannot be read here. */
export const NO_KEYSTORE: SecretStore = {
  async unavailableReason() {
    return `The development bridge has no access to an OS keystore, so a password cannot be stored safely. ${NO_KEYSTORE_ADVICE}`
  },
  async encrypt() {
    throw new Error('No keystore in this process: a password cannot be stored.')
  },
  async decrypt() {
    throw new Error(
      'The saved database password was encrypted by the desktop app with its keystore, which this process (the development bridge or command line) cannot use. Set CLINIC_DB_URL instead.',
    )
  },
}
