/**
 * The project's import boundaries, checked by `npm run lint` (`depcruise src`). Type-only imports count
 * (tsPreCompilationDeps), so a layer may not even name a type from a layer above it.
 *
 * Layers, lowest first. A module imports only from its own layer and the layers below it. Everything up
 * to train/ is the DOM-free core: it runs unchanged in Node and in browsers (tsconfig.core.json checks
 * it without the DOM library). Above it the browser side (workers, persist, store, ui, bench, main.tsx)
 * and, apart, the Node-only programs (server, cli).
 *
 * Node-only modules inside the core are named `*.node.ts` (imported with that full name: tsx would take
 * an extensionless `x.node` for a native addon). Only Node-side code (other *.node.ts files, server/,
 * cli/, tests and their helpers) may import them or `node:*`.
 *
 * Tests (*.test.ts) and test helpers (*.check.ts) are exempt from the layer order: a test may drive its
 * module through a higher layer. They are still Node-side code and must not form cycles.
 */

/** Lowest first; a folder of src/ per entry (one entry may hold several sibling folders). */
const LAYERS = [
  ['util'],
  ['render'],
  ['games'],
  ['model'],
  ['runtime'],
  ['data'],
  ['records'],
  ['policy'],
  ['rl'],
  ['train'],
  // The browser side.
  ['persist'],
  ['workers'],
  ['store'],
  ['ui', 'bench'],
];
/** The Node-only programs: above the core, beside the browser side (neither may import the other). */
const NODE_PROGRAMS = ['server', 'cli'];
const CORE = LAYERS.slice(0, LAYERS.findIndex((l) => l.includes('train')) + 1).flat();
const BROWSER = LAYERS.slice(CORE.length).flat();

/**
 * A game's own views live in its folder, `src/games/<id>/ui/`, but belong to the ui layer: they may import
 * React, store/ and ui/, and nothing below the ui layer may import them (ui/gameViews.ts finds them by a
 * Vite glob). `folders` names them as ui and keeps them out of games.
 */
const GAME_UI = 'src/games/[^/]+/ui/';
const folders = (names) => {
  const plain = `^src/(${names.join('|')})/`;
  if (names.includes('ui')) return `(${plain}|^${GAME_UI})`;
  return plain;
};
const TESTS = '[.](test|check)[.]ts$';
const NODE_ONLY_FILES = '[.]node[.](ts|mjs)$';
/** Browser-side entry files at the root of src/. */
const BROWSER_ROOT = '^src/[^/]+[.]tsx?$';

const layerRules = LAYERS.map((layer, i) => {
  const above = [...LAYERS.slice(i + 1).flat(), ...NODE_PROGRAMS];
  const below = LAYERS.slice(0, i).flat();
  return {
    name: `layer-${layer.join('-')}`,
    severity: 'error',
    comment:
      `src/${layer.join(', src/')} may import only ${below.length ? below.join(', ') : 'nothing else in src/'}` +
      ` below it (and its own layer): not ${above.join(', ')}. Move the shared code or type down instead.`,
    from: { path: folders(layer), pathNot: layer.includes('games') ? [TESTS, `^${GAME_UI}`] : TESTS },
    to: { path: [folders(above), BROWSER_ROOT] },
  };
});

/** Packages that need the DOM or React; none of them belongs in the core. */
const DOM_PACKAGES = ['react', 'react-dom', 'react-konva', 'konva', 'zustand', 'idb', 'uplot'];
/** Packages that run only in Node. */
const NODE_PACKAGES = ['commander', 'cli-progress', 'tsx'];
const pkgs = (names) => `^(node_modules/)?(${names.join('|')})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'node-programs-apart',
      severity: 'error',
      comment: 'The Node-only programs (server, cli) sit beside the browser side: neither imports the other; server does not import cli.',
      from: { path: folders(['server']), pathNot: TESTS },
      to: { path: [folders(['cli', ...BROWSER]), BROWSER_ROOT] },
    },
    {
      name: 'cli-not-browser',
      severity: 'error',
      comment: 'The CLI is Node-only and does not import the browser side.',
      from: { path: folders(['cli']), pathNot: TESTS },
      to: { path: [folders(BROWSER), BROWSER_ROOT] },
    },
    {
      name: 'core-no-dom',
      severity: 'error',
      comment: `The core (${CORE.join(', ')}) runs in Node and in browsers: no React, no DOM-only packages.`,
      from: { path: folders(CORE), pathNot: `^${GAME_UI}` },
      to: { path: pkgs(DOM_PACKAGES) },
    },
    {
      name: 'browser-no-node-builtins',
      severity: 'error',
      comment:
        'Browser-capable code does not import node:* modules. Node-only code below the workers goes in a ' +
        '*.node.ts file. (A `typeof import(...)` type of a module loaded at run time by a variable name, ' +
        'as model/export.ts and runtime/model.ts do for their Node branch, is allowed.)',
      from: { path: [folders([...CORE, ...BROWSER]), BROWSER_ROOT], pathNot: [NODE_ONLY_FILES, TESTS] },
      to: { dependencyTypes: ['core'], dependencyTypesNot: ['type-import'] },
    },
    {
      name: 'browser-no-node-packages',
      severity: 'error',
      comment: 'Browser-capable code does not import Node-only packages.',
      from: { path: [folders([...CORE, ...BROWSER]), BROWSER_ROOT], pathNot: [NODE_ONLY_FILES, TESTS] },
      to: { path: pkgs(NODE_PACKAGES) },
    },
    {
      name: 'browser-no-node-modules',
      severity: 'error',
      comment: 'Browser-capable code does not import *.node.ts modules (they need Node); import them from Node-side code only.',
      from: { path: [folders([...CORE, ...BROWSER]), BROWSER_ROOT], pathNot: [NODE_ONLY_FILES, TESTS] },
      to: { path: NODE_ONLY_FILES },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included: move the shared code or type into the lower module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: "An import that resolves to no file (Vite's `?url` asset imports excepted).",
      from: {},
      to: { couldNotResolve: true, pathNot: '[?](url|raw|worker)$' },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Only tests import tests.',
      from: { pathNot: TESTS },
      to: { path: '[.]test[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
