import type { Role } from "@/api/types";
import { roleAtLeast } from "@/features/projects/utils/roles";

/**
 * What the caller may do to memberships, mirroring the server: managers add,
 * change and remove members, but only owners grant, change or remove the
 * owner role.
 */
export function memberPermissions(callerRole: string | null) {
  const canManage = roleAtLeast(callerRole, "manager");
  const isOwner = callerRole === "owner";
  return {
    canManage,
    canGrant: (role: Role) => canManage && (role !== "owner" || isOwner),
    canEditMember: (memberRole: Role) => canManage && (memberRole !== "owner" || isOwner),
  };
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including other owners",
  manager: "Settings, imports, members",
  reviewer: "Sees all items and reviews annotations",
  annotator: "Labels the items handed to them",
};
