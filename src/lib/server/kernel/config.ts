import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable the server reads, checked in one place. The README's configuration
 * table lists the same names; nothing else in the code reads `process.env` for settings.
 */

const text = z.string().trim().min(1).optional();
const count = (fallback: number, min = 0) =>
	z
		.string()
		.trim()
		.regex(/^\d+$/, 'a whole number')
		.optional()
		.transform((v) => (v === undefined ? fallback : Number(v)))
		.pipe(z.number().int().min(min));

const environment = z.object({
	PORT: count(3000, 1),
	HOST: z.string().default('0.0.0.0'),
	/** The public origin in production (https://partnerskap.example.se). */
	ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
	/** How many proxies in front of the app append to X-Forwarded-For (0: none, the header is ignored). */
	TRUST_PROXY: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^(\d{0,2}|true|false)$/, 'the number of proxies in front of the app (1 for one reverse proxy)')
		.optional()
		// true/false as earlier versions took it: one proxy, or none.
		.transform((v) => (v === 'true' ? 1 : v && v !== 'false' ? Number(v) : 0)),
	/** `production` requires ORIGIN (see `startupProblem`). */
	NODE_ENV: z.string().optional(),
	DATABASE_URL: z
		.string()
		.trim()
		.regex(/^postgres(ql)?:\/\//, 'a postgres:// address')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	DATABASE_POOL_SIZE: count(10, 1),
	DATABASE_CONNECT_TIMEOUT_MS: count(5000, 100),
	DATABASE_STATEMENT_TIMEOUT_MS: count(15000, 100),
	DATABASE_SILENCE_MS: count(2000, 100),
	/** Statements each connection (PGlite: the process) keeps prepared (0: none, behind a pooler in transaction mode). */
	DATABASE_PREPARED_STATEMENTS: count(500),
	DATA_DIR: z.string().default('data/db'),
	MIGRATIONS_DIR: z.string().default('drizzle'),
	REFERENCE_DATA_DIR: z.string().default('data'),
	SEED_DEMO: z
		.enum(['true', 'false', '1', '0', ''])
		.optional()
		.transform((v) => v !== 'false' && v !== '0'),
	REVISION_POLL_MS: count(2000, 100),
	RENDER_CACHE_TTL_SECONDS: count(300),
	RENDER_CACHE_ENTRIES: count(1000),
	RENDER_CACHE_MEGABYTES: count(64, 1),
	/** Server processes; unset: one per core on PostgreSQL, one on PGlite (its folder has one owner). */
	WEB_CONCURRENCY: z
		.string()
		.trim()
		.regex(/^\d+$/, 'a whole number')
		.optional()
		.transform((v) => (v === undefined ? undefined : Number(v)))
		.pipe(z.number().int().min(1).max(64).optional()),
	SHUTDOWN_TIMEOUT_SECONDS: count(10, 1),
	REQUEST_HEADERS_TIMEOUT_SECONDS: count(20, 1),
	REQUEST_TIMEOUT_SECONDS: count(120, 1),
	/** Bearer token for /metrics; unset, /metrics answers 404. */
	METRICS_TOKEN: z.string().trim().min(32, 'at least 32 characters').optional(),
	MEDIA_MAX_MEGAPIXELS: count(100, 1),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
	CONTACT_EMAIL: z.email().default('tillganglighet@example.org'),
	SMTP_URL: z
		.string()
		.trim()
		.regex(/^smtps?:\/\//, 'an smtp:// or smtps:// address')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	MAIL_FROM: z.string().default('Partnerskap för lokal demokrati <no-reply@localhost>'),
	OUTBOX_DIR: z.string().default('data/outbox'),
	BETTER_AUTH_SECRET: z.string().min(32, 'at least 32 characters').optional(),
	AUTH_SECRET_FILE: z.string().default('data/auth-secret'),
	STAFF_IDLE_MINUTES: count(30, 1),
	SESSION_ABSOLUTE_DAYS: count(30, 1),
	MEDIA_DIR: text,
	MEDIA_S3_BUCKET: text,
	MEDIA_S3_ENDPOINT: text,
	MEDIA_S3_REGION: text,
	MEDIA_S3_ACCESS_KEY_ID: text,
	MEDIA_S3_SECRET_ACCESS_KEY: text,
	MEDIA_S3_SESSION_TOKEN: text,
	MEDIA_S3_FORCE_PATH_STYLE: z
		.enum(['1', 'true', '0', 'false', ''])
		.optional()
		.transform((v) => (v === undefined || v === '' ? undefined : v === '1' || v === 'true')),
	MEDIA_S3_PREFIX: text,
	/**
	 * The programme's organisation identifier as IATI publisher (org-id.guide, e.g. SE-ON-2021004045):
	 * the start of every activity's identifier, which must never change once published (decision 16).
	 */
	IATI_REPORTING_ORG: z
		.string()
		.regex(/^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]+$/, 'an org-id identifier such as SE-ON-2021004045')
		.default('SE-ON-0000000000'),
	/**
	 * A raster tile server the report maps draw beneath the platform's own outlines, as an address
	 * template (https://tile.openstreetmap.org/{z}/{x}/{y}.png); unset, no outside server is asked.
	 */
	MAP_TILES_URL: z
		.string()
		.trim()
		.regex(/^https:\/\/[^\s"'<>]+$/, 'an https:// address')
		.refine((v) => ['{z}', '{x}', '{y}'].every((p) => v.includes(p)), 'a template with {z}, {x} and {y}')
		.optional(),
	/** What the tile server asks to be shown with its tiles ("© OpenStreetMap contributors"). */
	MAP_TILES_ATTRIBUTION: z.string().trim().max(200).optional(),
	/**
	 * The auth token of the Twilio account whose numbers forward SMS to /sms/twilio: requests are
	 * checked against its signature. Unset, the SMS address answers 404.
	 */
	SMS_TWILIO_AUTH_TOKEN: z.string().trim().min(16, 'at least 16 characters').optional(),
	/** The key of resident verification's keyed hashes (census lists, verified identities). */
	VERIFICATION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
	/** An OpenID Connect provider residents verify with (JSON: issuer, clientId, clientSecret, identifierClaim, municipalityClaim). */
	VERIFICATION_OIDC: z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (!v?.trim()) return undefined;
			try {
				return JSON.parse(v) as unknown;
			} catch {
				ctx.addIssue({ code: 'custom', message: 'JSON' });
				return z.NEVER;
			}
		})
		.pipe(
			z
				.object({
					issuer: z.url({ protocol: /^https?$/ }),
					clientId: z.string().min(1),
					clientSecret: z.string().min(1),
					identifierClaim: z.string().min(1).default('sub'),
					municipalityClaim: z.string().min(1).optional(),
					scope: z.string().default('openid')
				})
				.optional()
		),
	VITEST: z.string().optional()
});

export type Environment = Record<string, string | undefined>;

/** The settings as the code uses them: resolved paths, numbers, flags. */
export function readConfig(env: Environment) {
	const parsed = environment.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
		throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
	}
	const e = parsed.data;
	const dataDir = path.resolve(e.DATA_DIR);
	return {
		port: e.PORT,
		host: e.HOST,
		origin: e.ORIGIN,
		/** The origin links are built from: ORIGIN, else this machine. */
		publicOrigin: e.ORIGIN ?? `http://localhost:${e.PORT}`,
		/** Trusted proxy hops in front of the app (0: the socket's address is the client's). */
		trustProxy: e.TRUST_PROXY,
		/** In production links, cookies and the client's protocol must not come from request headers. */
		production: e.NODE_ENV === 'production' || e.TRUST_PROXY > 0,
		databaseUrl: e.DATABASE_URL,
		databasePoolSize: e.DATABASE_POOL_SIZE,
		databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS,
		/** A database that does not answer within these is unavailable (503), not a hang. */
		databaseTimeouts: {
			connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
			statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
			silenceMs: e.DATABASE_SILENCE_MS
		},
		dataDir,
		migrationsDir: path.resolve(e.MIGRATIONS_DIR),
		referenceDataDir: path.resolve(e.REFERENCE_DATA_DIR),
		seedDemo: e.SEED_DEMO,
		revisionPollMs: e.REVISION_POLL_MS,
		renderCache: {
			ttlMs: e.RENDER_CACHE_TTL_SECONDS * 1000,
			entries: e.RENDER_CACHE_ENTRIES,
			maxBytes: e.RENDER_CACHE_MEGABYTES * 1024 * 1024
		},
		/** Server processes (scripts/serve.js forks this many workers when above 1). */
		webConcurrency: e.WEB_CONCURRENCY ?? (e.DATABASE_URL ? availableParallelism() : 1),
		/** Slow or stuck clients cannot hold a socket longer than these. */
		server: {
			shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
			headersTimeoutMs: e.REQUEST_HEADERS_TIMEOUT_SECONDS * 1000,
			requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000
		},
		metricsToken: e.METRICS_TOKEN,
		logLevel: e.LOG_LEVEL ?? (e.VITEST ? 'silent' : 'info'),
		contactEmail: e.CONTACT_EMAIL,
		mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, outboxDir: path.resolve(e.OUTBOX_DIR) },
		auth: {
			secret: e.BETTER_AUTH_SECRET,
			secretFile: path.resolve(e.AUTH_SECRET_FILE),
			staffIdleMinutes: e.STAFF_IDLE_MINUTES,
			sessionAbsoluteDays: e.SESSION_ABSOLUTE_DAYS
		},
		verification: { secret: e.VERIFICATION_SECRET, oidc: e.VERIFICATION_OIDC },
		sms: { twilioAuthToken: e.SMS_TWILIO_AUTH_TOKEN },
		mapTiles: e.MAP_TILES_URL
			? { url: e.MAP_TILES_URL, attribution: e.MAP_TILES_ATTRIBUTION ?? '' }
			: undefined,
		iati: { reportingOrg: e.IATI_REPORTING_ORG },
		media: {
			/** MEDIA_DIR, or a `media` folder beside the database folder (./data/media). */
			/** Images above this many pixels are refused before they are decoded. */
			maxPixels: e.MEDIA_MAX_MEGAPIXELS * 1_000_000,
			dir: e.MEDIA_DIR ? path.resolve(e.MEDIA_DIR) : path.join(path.dirname(dataDir), 'media'),
			s3: e.MEDIA_S3_BUCKET
				? {
						bucket: e.MEDIA_S3_BUCKET,
						endpoint: e.MEDIA_S3_ENDPOINT,
						region: e.MEDIA_S3_REGION,
						accessKeyId: e.MEDIA_S3_ACCESS_KEY_ID,
						secretAccessKey: e.MEDIA_S3_SECRET_ACCESS_KEY,
						sessionToken: e.MEDIA_S3_SESSION_TOKEN,
						forcePathStyle: e.MEDIA_S3_FORCE_PATH_STYLE,
						prefix: e.MEDIA_S3_PREFIX
					}
				: undefined
		}
	};
}

export type Config = ReturnType<typeof readConfig>;

/**
 * Why the server must not start with these settings, in one line, or null. In production without
 * ORIGIN the public address would come from each request's Host header (links in feeds and the
 * API could be forged) and the session cookie would lack `Secure` behind a TLS proxy. Only the
 * server's start asks: building, tests and the command-line tools run without ORIGIN.
 */
export function startupProblem(c: Config): string | null {
	if (c.webConcurrency > 1 && !c.databaseUrl) {
		return 'WEB_CONCURRENCY above 1 needs DATABASE_URL: a PGlite folder can be opened by one process only';
	}
	if (c.production && !c.origin) {
		return 'ORIGIN must be set in production (NODE_ENV=production or TRUST_PROXY set): the public address, such as ORIGIN=https://partnerskap.example.se';
	}
	return null;
}

/**
 * The client's address. With `hops` trusted proxies in front, the nearest one connects to us and
 * each appends the address it saw to X-Forwarded-For, so the client is the `hops`-th entry from
 * the right; anything left of it was written by the client and is ignored. Without trusted
 * proxies, or when the chain is shorter than it must be (the proxies were bypassed) or holds no
 * address, the socket's own address is the client's.
 */
export function clientAddress(socketAddress: string, forwardedFor: string | undefined, hops: number): string {
	if (hops < 1 || !forwardedFor) return socketAddress;
	const chain = forwardedFor.split(',').map((a) => a.trim());
	const client = chain[chain.length - hops];
	return chain.length >= hops && client && isIP(client) ? client : socketAddress;
}

const names = Object.keys(environment.shape);
let last: { key: string; settings: Config } | undefined;

/**
 * The settings of this process. Tests and the command-line scripts set variables after the modules
 * are loaded, so they are parsed again whenever one of the variables read has changed. Parsing
 * takes 18 µs in a loop, and every answer asked at least once: 3 % of the server's CPU time in a
 * profile of the search page under load.
 */
export function config(): Config {
	const key = names.map((name) => process.env[name] ?? '\u0000').join('\u0001');
	if (last?.key !== key) last = { key, settings: readConfig(process.env) };
	return last.settings;
}
