/* The caller's access is built by auth/ from the authenticated credential; the registry services name it here. */
export type { AccessLevel, RegistryAccess } from '../auth/registry-access';
