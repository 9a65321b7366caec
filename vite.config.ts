import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
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
