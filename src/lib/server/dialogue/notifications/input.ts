import { z } from 'zod';
import { fields } from '../../kernel/input.ts';

// The follow button's form and address: `/dialogue/<space>/follow` follows the space,
// `?proposal=<id>` one of its proposals; the form's `follow` says which way.

export const followChoices = ['follow', 'unfollow'] as const;
export type FollowChoice = (typeof followChoices)[number];

/** The address: which proposal of the space (none: the space itself). */
export const followQueryShape = { proposal: fields.id.optional() };

/** The form: follow or stop following. */
export const followFormShape = { follow: z.enum(followChoices, 'followInvalidChoice') };
