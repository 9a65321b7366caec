// Rule 1 of docs/architecture.md: imports run one way, routes → app → modules → taxonomy → kernel.
// `npm run check` runs `depcruise` with this file; a wrong-way import fails it and names the edge.
const server = '^src/lib/server';
const modules = 'accounts|content|dialogue|media|organizations|partner-search|partnerships|results';

module.exports = {
	forbidden: [
		{
			name: 'kernel-is-the-bottom',
			comment: 'The kernel knows no taxonomy, module or app: everything builds on it, not the other way.',
			severity: 'error',
			from: { path: `${server}/kernel/` },
			to: { path: `${server}/(taxonomy|app|${modules})/` }
		},
		{
			name: 'test-helpers-are-for-tests',
			comment:
				'The shared test helpers (databases, actors, factories) are used by tests only (and the processes a test starts, *-child.ts).',
			severity: 'error',
			from: { path: '^src/', pathNot: '(\\.test\\.ts$|-child\\.ts$|^src/lib/server/test/)' },
			to: { path: `${server}/test/` }
		},
		{
			name: 'taxonomy-builds-on-the-kernel-only',
			comment: 'Themes, goals and places are shared by every module, so they cannot depend on one.',
			severity: 'error',
			from: { path: `${server}/taxonomy/` },
			to: { path: `${server}/(app|${modules})/` }
		},
		{
			name: 'modules-do-not-reach-up',
			comment: 'A module never imports the app (the list of modules, start-up).',
			severity: 'error',
			from: { path: `${server}/(${modules})/`, pathNot: '\\.test\\.ts$' },
			to: { path: `${server}/app/` }
		},
		{
			name: 'modules-share-only-their-tables',
			comment:
				"A module may use another module's schema.ts (to reference and join its tables) and nothing " +
				'else of it: a page that shows several modules composes them in its route, and a change that ' +
				'spans two modules is composed in app/.',
			severity: 'error',
			from: { path: `${server}/(${modules})/`, pathNot: '\\.test\\.ts$' },
			to: {
				path: `${server}/(${modules})/`,
				pathNot: [`${server}/$1/`, `${server}/(${modules})/schema\\.ts$`]
			}
		},
		{
			name: 'app-is-for-routes',
			comment: 'Only routes, hooks, scripts and tests use the app layer.',
			severity: 'error',
			from: { path: `${server}/(kernel|taxonomy|${modules})/`, pathNot: '\\.test\\.ts$' },
			to: { path: `${server}/app/` }
		},
		{
			name: 'browser-code-stays-out-of-the-server',
			comment: 'Shared code under src/lib (components, i18n) runs in the browser too.',
			severity: 'error',
			from: { path: '^src/lib/(?!server/)' },
			to: { path: `${server}/` }
		},
		{
			name: 'no-circular',
			comment: 'A cycle means two files that cannot be understood apart.',
			severity: 'error',
			from: { path: `${server}/` },
			to: { circular: true }
		}
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '(^|/)(node_modules|build|\\.svelte-kit)/' },
		includeOnly: '^(src|scripts)/',
		tsPreCompilationDeps: true,
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.js', '.svelte', '.json']
		},
		reporterOptions: { text: { highlightFocused: true } }
	}
};
