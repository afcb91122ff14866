'use strict';
// Copies node and credential icons next to the compiled JavaScript (tsc only emits .js/.d.ts/.json).
const path = require('node:path');
const { task, src, dest } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { encoding: false, base: '.' }).pipe(
		dest(path.resolve('dist')),
	),
);
