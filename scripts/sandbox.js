#!/usr/bin/env node
require("../test/sandbox/cli.js");
