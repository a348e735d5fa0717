#!/usr/bin/env node
// The `ivs-studio` command: runs the compiled engine CLI (npm run build first when working from source).
require('../dist/main/cli/main.js').main(process.argv.slice(2));
