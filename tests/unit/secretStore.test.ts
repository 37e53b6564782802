import { describe, expect, it } from 'vitest'
import { keystoreSecretStore, NO_KEYSTORE } from '../../electron/db/secretStore'
import { fakeKeystore } from '../fixtures/fakeKeystore'

const PASSWORD = 'Tr0ub4dor&3-clinic'

describe('the keystore-backed secret store', () => {
  it('stores a password only in encrypted form and reads it back', async () => {
    const store = keystoreSecretStore(fakeKeystore(), 'darwin')
    expect(await store.unavailableReason()).toBeNull()
    const stored = await store.encrypt(PASSWORD)
    expect(stored).not.toContain(PASSWORD)
    expect(Buffer.from(stored, 'base64').toString('latin1')).not.toContain(PASSWORD)
    expect(await store.decrypt(stored)).toBe(PASSWORD)
  })

  it('refuses to store a password on Linux without a keyring (the basic_text fallback is a fixed key)', async () => {
    const ks = fakeKeystore({ backend: 'basic_text' })
    const store = keystoreSecretStore(ks, 'linux')
    expect(await store.unavailableReason()).toMatch(/no keyring .*~\/\.pgpass.*CLINIC_DB_URL/)
    await expect(store.encrypt(PASSWORD)).rejects.toThrow(/cannot be stored safely/)
    expect(ks.calls).toBe(0)
    expect(await keystoreSecretStore(fakeKeystore({ backend: 'gnome_libsecret' }), 'linux').unavailableReason()).toBeNull()
  })

  it('refuses when the keystore says encryption is unavailable', async () => {
    const store = keystoreSecretStore(fakeKeystore({ available: false }), 'win32')
    expect(await store.unavailableReason()).toMatch(/keystore is not available/)
    await expect(store.encrypt(PASSWORD)).rejects.toThrow()
  })

  it('a password encrypted with another keystore (another computer or user) is a clear error, not garbage', async () => {
    const stored = await keystoreSecretStore(fakeKeystore(), 'darwin').encrypt(PASSWORD)
    await expect(keystoreSecretStore(fakeKeystore(), 'darwin').decrypt(stored)).rejects.toThrow(/cannot be decrypted with this computer's keystore/)
  })

  it('plain Node (the development bridge) has no keystore: it refuses, naming the alternatives', async () => {
    expect(await NO_KEYSTORE.unavailableReason()).toMatch(/~\/\.pgpass.*CLINIC_DB_URL/)
    await expect(NO_KEYSTORE.encrypt(PASSWORD)).rejects.toThrow()
    await expect(NO_KEYSTORE.decrypt('abc')).rejects.toThrow(/CLINIC_DB_URL/)
  })
})
