import type { Role } from "@/api/types";

const ROLE_RANK: Record<Role, number> = {
  annotator: 0,
  reviewer: 1,
  manager: 2,
  owner: 3,
};

export const ROLES: readonly Role[] = ["owner", "manager", "reviewer", "annotator"];

export function isRole(value: string | null | undefined): value is Role {
  return typeof value === "string" && value in ROLE_RANK;
}

/**
 * Whether `role` carries at least the rights of `minimum`, mirroring the
 * server's check. The API types a project's `role` as a free string (null for
 * staff who are not members), and anything unknown has no rights.
 */
export function roleAtLeast(role: string | null | undefined, minimum: Role): boolean {
  return isRole(role) && ROLE_RANK[role] >= ROLE_RANK[minimum];
}
