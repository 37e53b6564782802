// `npm run icons`: renders the app icon from its one source, build/icon.svg, into the files electron-builder
// takes from build/ (its buildResources folder):
//   build/icon.png                 1024 px, macOS and the fallback for every platform
//   build/icons/NxN.png            16 to 512 px, the Linux desktop icon sizes (AppImage, deb)
//   build/icon.ico                 Windows (the executable, the installer, the shortcuts)
//   build/icon.icns                macOS (the app bundle, the dmg)
// The outputs are committed (they are small), so a build needs no rendering step; run this again after
// editing the SVG. Each PNG is rendered from the vector at its own size (resvg), so the small ones stay
// crisp instead of being shrunk from the large one; the .ico and .icns are assembled by png2icons from the
// 1024 px rendering, as those formats carry their own set of sizes.
import { Resvg } from '@resvg/resvg-js'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import png2icons from 'png2icons'

const BUILD = 'build'
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512]

const svg = readFileSync(join(BUILD, 'icon.svg'))

/** The SVG rendered to a PNG `size` pixels square. */
function render(size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng()
}

function write(path, data) {
  if (!data) throw new Error(`could not make ${path}`)
  writeFileSync(path, data)
  console.log(`${path}  ${(data.length / 1024).toFixed(1)} KiB`)
}

const large = render(1024)
write(join(BUILD, 'icon.png'), large)
mkdirSync(join(BUILD, 'icons'), { recursive: true })
for (const size of LINUX_SIZES) write(join(BUILD, 'icons', `${size}x${size}.png`), render(size))
// forWinExe: the small sizes as bitmaps, as Windows' file properties dialog expects in an executable's icon.
write(join(BUILD, 'icon.ico'), png2icons.createICO(large, png2icons.BICUBIC2, 0, false, true))
write(join(BUILD, 'icon.icns'), png2icons.createICNS(large, png2icons.BICUBIC2, 0))
