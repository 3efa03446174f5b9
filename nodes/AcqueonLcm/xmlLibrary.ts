/**
 * fast-xml-parser, bundled into the package: n8n installs no runtime dependency of a community
 * package, and the nodes may require at run time only what n8n itself provides. The TypeScript
 * compiler turns this file into a plain re-export (what the tests and the type checker use); the
 * build then replaces that output, dist/nodes/AcqueonLcm/xmlLibrary.js, with an esbuild bundle of
 * the library (gulpfile.js, `build:bundle`), so the published package needs no copy of its own.
 */
export { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
