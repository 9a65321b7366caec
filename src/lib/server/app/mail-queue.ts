import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { fields, readForm } from '../kernel/input.ts';
import { outboxQueue, requeueMail, type QueuedMail } from '../kernel/outbox.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { accountsPolicy } from '../accounts/policy.ts';

/**
 * The mail queue as admins see it (/admin/outbox): the kernel's outbox table, behind the accounts
 * module's rule for reading unsent mail (it holds other people's addresses and sign-in links).
 */

/** The "send again" form: the outbox row. */
export const resendShape = { id: fields.id };

const shown = (m: QueuedMail) => ({
	id: m.id,
	recipient: m.recipient,
	subject: m.subject,
	attempts: m.attempts,
	lastError: m.lastError,
	createdAt: m.createdAt.toISOString(),
	nextAttemptAt: m.nextAttemptAt.toISOString(),
	sentAt: m.sentAt?.toISOString() ?? null
});

/** Waiting (oldest first), failed and the latest sent (newest first), with the queue's figures. */
export async function mailQueue(db: Database, actor: Actor) {
	authorize(actor, accountsPolicy.readOutbox);
	const queue = await outboxQueue(db);
	return {
		pending: queue.pending.map(shown),
		failed: queue.failed.map(shown),
		sent: queue.sent.map(shown),
		figures: queue.figures
	};
}

/** Puts a failed message back in the queue, due now, with ten new attempts; audited. */
export async function resendMail(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>
): Promise<number> {
	return runCommand(db, actor, {
		rule: accountsPolicy.resendMail,
		parse: () => readForm(form, resendShape, 'mailQueue'),
		work: async (tx, { id }) => {
			// Sent again meanwhile (another admin), or no such row: nothing to do, and the page says so.
			if (!(await requeueMail(tx, id))) {
				throw new ValidationError([{ field: 'id', code: 'notFailed' }], 'mailQueue');
			}
			return { result: id, audit: { action: 'mail.resend', subject: `mail:${id}` }, public: false };
		}
	});
}
