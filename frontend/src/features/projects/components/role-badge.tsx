import { Badge } from "@mantine/core";
import type { Role } from "@/api/types";

const ROLE_COLORS: Record<Role, string> = {
  owner: "grape",
  manager: "blue",
  reviewer: "teal",
  annotator: "gray",
};

function isRole(value: string): value is Role {
  return value in ROLE_COLORS;
}

/** The schema types `role` as a free string (null for staff viewing a project they're not in). */
export function RoleBadge({ role }: { role: string | null }) {
  if (!role) {
    return (
      <Badge color="gray" variant="outline">
        no role
      </Badge>
    );
  }
  return (
    <Badge color={isRole(role) ? ROLE_COLORS[role] : "gray"} variant="light">
      {role}
    </Badge>
  );
}
