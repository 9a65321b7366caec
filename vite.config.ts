import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';
import { defineConfig, type Plugin } from 'vite';

/**
 * SvelteKit writes every page's server data out for the client even where the page has no client
 * code (`csr = false`, every public page), and nothing reads it: a fifth of the inspiration
 * list's server CPU (docs/decisions/0024-page-data-only-for-client-code.md). Its server renderer is
 * bundled into the build, so that one condition is changed as it is bundled; a SvelteKit whose
 * line reads otherwise stops the build here, to be looked at again.
 */
function pageDataOnlyForClientCode(): Plugin {
	const serializing = /if \(node\) \{(\s*)data_serializer\.add_node\(i, server_data\);/g;
	return {
		name: 'page-data-only-for-client-code',
		transform(code, id) {
			if (!id.replaceAll('\\', '/').endsWith('@sveltejs/kit/src/runtime/server/page/index.js')) return;
			const found = code.match(serializing)?.length ?? 0;
			if (found !== 1)
				this.error(
					`SvelteKit's page renderer changed: found ${found} places that serialize page data, not 1`
				);
			return code.replace(serializing, 'if (node && csr) {$1data_serializer.add_node(i, server_data);');
		}
	};
}

export default defineConfig({
	plugins: [
		pageDataOnlyForClientCode(),
		sveltekit({
			adapter: adapter({ precompress: true }),
			// Public pages render without client code; 'hash' keeps the policy identical for every
			// response, so cached pages stay valid (a nonce would be baked into cached HTML).
			csp: {
				mode: 'hash',
				directives: {
					'default-src': ['self'],
					'script-src': ['self'],
					'style-src': ['self'],
					// Pages with client code (the article editor) mount kit's route announcer, whose
					// style attribute is allowed by its exact hash and nothing else.
					'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
					'img-src': ['self', 'data:'],
					'font-src': ['self'],
					'connect-src': ['self'],
					'form-action': ['self'],
					'object-src': ['none'],
					'base-uri': ['none'],
					'frame-ancestors': ['none']
				}
			},
			version: { pollInterval: 0 },
			// src/hooks.server.ts makes the same cross-site check for forms, with the one route that
			// must take a form from outside (one-click unsubscribe); SvelteKit's own has no way to.
			csrf: { trustedOrigins: ['*'] }
		})
	],
	build: { target: 'es2022' }
});
