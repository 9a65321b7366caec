import { defineConfig } from 'drizzle-kit';

// Every module keeps its tables in its own schema.ts; migrations are generated from all of them.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/*/schema.ts',
	out: './drizzle'
});
