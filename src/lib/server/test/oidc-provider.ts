import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The client the platform is registered as at the test provider. */
export const oidcClient = { clientId: 'partnerskap', clientSecret: 'a-client-secret-for-the-tests' };

/**
 * A real OpenID Connect provider (oidc-provider) on a local port, with its development sign-in
 * pages: its accounts carry a personal identity number and the municipality code of the
 * population register, as a Swedish e-identification's do. An unknown account cannot sign in.
 */
export async function startOidcProvider(
	redirectUri: string,
	accounts: Record<string, { personal_number: string; municipality_code: string }>
): Promise<{ issuer: string; server: Server }> {
	let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
	const server = createServer((req, res) => handler!(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: oidcClient.clientId,
				client_secret: oidcClient.clientSecret,
				redirect_uris: [redirectUri],
				grant_types: ['authorization_code'],
				response_types: ['code']
			}
		],
		claims: { openid: ['sub', 'personal_number', 'municipality_code'] },
		conformIdTokenClaims: false,
		features: { devInteractions: { enabled: true } },
		findAccount: async (_ctx, id) =>
			accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined
	});
	handler = provider.callback();
	return { issuer, server };
}
