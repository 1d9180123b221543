// Loaded into the language server for the trust test: records every attempt to run
// a program, open a network connection or write a file, and refuses it.
const cp = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const log = (what) => process.stderr.write(`TRUST-VIOLATION ${what}\n`);
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  cp[name] = (...a) => { log(`child_process.${name} ${String(a[0])}`); throw new Error('blocked'); };
}
for (const name of ['connect', 'createConnection']) {
  net[name] = (...a) => { log(`net.${name} ${JSON.stringify(a[0])}`); throw new Error('blocked'); };
}
for (const mod of [http, https]) {
  mod.request = mod.get = (...a) => { log(`http request ${String(a[0])}`); throw new Error('blocked'); };
}
for (const name of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'createWriteStream']) {
  const orig = fs[name];
  fs[name] = (...a) => { log(`fs.${name} ${String(a[0])}`); return orig ? undefined : undefined; };
}
globalThis.fetch = async (u) => { log(`fetch ${String(u)}`); throw new Error('blocked'); };
