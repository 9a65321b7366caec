// Types for the fake S3 server the store's tests run against (the package ships none).
declare module '@20minutes/s3rver' {
	interface S3rverOptions {
		address?: string;
		port?: number;
		silent?: boolean;
		directory?: string;
		resetOnClose?: boolean;
		allowMismatchedSignatures?: boolean;
		vhostBuckets?: boolean;
		configureBuckets?: { name: string; configs?: string[] }[];
	}
	export default class S3rver {
		constructor(options?: S3rverOptions);
		run(): Promise<{ address: string; port: number }>;
		close(): Promise<void>;
	}
}
