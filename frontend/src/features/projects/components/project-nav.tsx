import { Button, Group } from "@mantine/core";
import { Link, useLocation } from "react-router";
import type { Role } from "@/api/types";
import { roleAtLeast } from "../utils/roles";

interface ProjectPage {
  label: string;
  /** Relative to `/projects/:id`; empty for the overview. */
  path: string;
  /** The lowest role that can act on the page; the link is hidden below it. */
  minimum: Role;
}

const PROJECT_PAGES: readonly ProjectPage[] = [
  { label: "Overview", path: "", minimum: "annotator" },
  { label: "Label", path: "label", minimum: "annotator" },
  { label: "Items", path: "items", minimum: "reviewer" },
  { label: "Review", path: "review", minimum: "reviewer" },
  { label: "Judges", path: "judges", minimum: "reviewer" },
  { label: "Active learning", path: "active", minimum: "reviewer" },
  { label: "Dashboard", path: "dashboard", minimum: "manager" },
  { label: "Import", path: "import", minimum: "manager" },
  { label: "Exports", path: "exports", minimum: "manager" },
  { label: "Members", path: "members", minimum: "manager" },
  { label: "Settings", path: "settings", minimum: "manager" },
];

/** Links to a project's pages, limited to those the caller's role can use. */
export function ProjectNav({ projectId, role }: { projectId: number; role: string | null }) {
  const { pathname } = useLocation();
  const current = pathname.replace(/\/+$/, "");
  const pages = PROJECT_PAGES.filter((page) => roleAtLeast(role, page.minimum));
  return (
    <Group component="nav" aria-label="Project pages" gap={4}>
      {pages.map((page) => {
        const href = `/projects/${projectId}${page.path ? `/${page.path}` : ""}`;
        const active = current === href;
        return (
          <Button
            key={page.label}
            component={Link}
            to={href}
            size="compact-sm"
            variant={active ? "light" : "subtle"}
            aria-current={active ? "page" : undefined}
          >
            {page.label}
          </Button>
        );
      })}
    </Group>
  );
}
