// The fixed values of the partnership model, shared by server and pages (no server code here).
export const partnershipStatuses = ['inception', 'active', 'completed'] as const;
export type PartnershipStatus = (typeof partnershipStatuses)[number];

export const teamRoles = [
	'majority-politician',
	'opposition-politician',
	'civil-servant',
	'coordinator'
] as const;
export type TeamRole = (typeof teamRoles)[number];

export const partnershipPhases = ['inception', 'active', 'completed'] as const;
export type PartnershipPhase = (typeof partnershipPhases)[number];

export const organizationKindValues = [
	'municipality',
	'region',
	'city',
	'district',
	'province',
	'agency',
	'ngo',
	'museum',
	'research',
	'other'
] as const;
