// Copies what tsc does not: the node and credential icons (dist/icons, where the `file:` icon
// paths point) and each node's codex file (*.node.json, beside its *.node.js).
const { src, dest, task, parallel } = require('gulp');

task('build:icons', parallel(
	() => src('icons/*.{png,svg}').pipe(dest('dist/icons')),
	() => src('nodes/**/*.node.json').pipe(dest('dist/nodes')),
));
