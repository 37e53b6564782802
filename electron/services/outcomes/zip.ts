/**
 * A ZIP archive of files as they are ("stored", no compression: the PDFs it carries are compressed already),
 * written one entry at a time so that memory holds one file, not the archive. UTF-8 names; no ZIP64, so an
 * archive stays under 4 GB and 65 535 entries (far beyond a clinic's discharge summaries for any range).
 */
import { open, readFile } from 'node:fs/promises'
import { crc32 } from 'node:zlib'

const MAX = 0xffffffff

/** DOS date and time of an instant (local fields as ZIP readers show them; 2-second resolution). */
function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getFullYear())
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  }
}

export async function writeStoredZip(file: string, entries: { name: string; path: string }[], at: Date, signal?: AbortSignal): Promise<void> {
  if (entries.length > 0xffff) throw new Error('Too many files for one ZIP archive.')
  const { time, date } = dosDateTime(at)
  const out = await open(file, 'wx')
  const central: Buffer[] = []
  let offset = 0
  try {
    for (const e of entries) {
      if (signal?.aborted) throw new Error('cancelled')
      const data = await readFile(e.path)
      const name = Buffer.from(e.name, 'utf8')
      const crc = crc32(data)
      if (data.length > MAX || offset > MAX) throw new Error('The archive would exceed 4 GB.')
      const local = Buffer.alloc(30)
      local.writeUInt32LE(0x04034b50, 0)
      local.writeUInt16LE(10, 4) // version needed: 1.0 (stored)
      local.writeUInt16LE(0x0800, 6) // UTF-8 names
      local.writeUInt16LE(0, 8) // stored
      local.writeUInt16LE(time, 10)
      local.writeUInt16LE(date, 12)
      local.writeUInt32LE(crc, 14)
      local.writeUInt32LE(data.length, 18)
      local.writeUInt32LE(data.length, 22)
      local.writeUInt16LE(name.length, 26)
      local.writeUInt16LE(0, 28)
      await out.write(Buffer.concat([local, name]))
      await out.write(data)
      const c = Buffer.alloc(46)
      c.writeUInt32LE(0x02014b50, 0)
      c.writeUInt16LE(20, 4) // made by: 2.0
      c.writeUInt16LE(10, 6)
      c.writeUInt16LE(0x0800, 8)
      c.writeUInt16LE(0, 10)
      c.writeUInt16LE(time, 12)
      c.writeUInt16LE(date, 14)
      c.writeUInt32LE(crc, 16)
      c.writeUInt32LE(data.length, 20)
      c.writeUInt32LE(data.length, 24)
      c.writeUInt16LE(name.length, 28)
      // extra, comment, disk, internal and external attributes: 0
      c.writeUInt32LE(offset, 42)
      central.push(Buffer.concat([c, name]))
      offset += local.length + name.length + data.length
    }
    const dir = Buffer.concat(central)
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(entries.length, 8)
    end.writeUInt16LE(entries.length, 10)
    end.writeUInt32LE(dir.length, 12)
    end.writeUInt32LE(offset, 16)
    await out.write(Buffer.concat([dir, end]))
  } finally {
    await out.close()
  }
}
