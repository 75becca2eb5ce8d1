// Builds the addon at install time with node-gyp (pnpm and npm put it on the PATH of install
// scripts). A machine without a C compiler, make and python3 still installs: the server then runs
// without trimming its C heap and says so at start, and the package's test fails with what to install.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const args = ['rebuild', '--loglevel=warn']
// Build against the headers of the Node that runs us (Debian's /usr/include/node), not headers
// downloaded from nodejs.org: the machines have no internet beyond the package registries.
const prefix = path.resolve(path.dirname(process.execPath), '..')
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`)
}
const result = spawnSync('node-gyp', args, { stdio: 'inherit', shell: process.platform === 'win32' })
if (result.status !== 0) {
  console.warn(
    '@fabrique/native-memory: the addon was not built (needs a C and C++ compiler, make and python3: ' +
      '"apt-get install -y build-essential python3" on Debian). Fabrique runs without it; idle servers ' +
      'then keep more memory.',
  )
}
