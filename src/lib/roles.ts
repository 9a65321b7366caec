// The roles, shared by server and pages (no server code here).
export const roles = ['admin', 'editor', 'author', 'reader'] as const;
export type Role = (typeof roles)[number];
