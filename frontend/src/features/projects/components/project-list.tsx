import { Anchor, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useProjects } from "../api/get-projects";
import { RoleBadge } from "./role-badge";

export function ProjectList() {
  const projects = useProjects();

  if (projects.isPending) {
    return <PageLoader label="Loading projects" />;
  }
  if (projects.isError) {
    return <QueryError error={projects.error} onRetry={() => void projects.refetch()} />;
  }

  const rows = projects.data.pages.flatMap((page) => page.results);
  const total = projects.data.pages[0]?.count ?? rows.length;
  if (rows.length === 0) {
    return <Text c="dimmed">No projects yet. Create one to start collecting labels.</Text>;
  }

  return (
    <>
      <Table.ScrollContainer minWidth={480}>
        <Table highlightOnHover verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Your role</Table.Th>
              <Table.Th>Questions</Table.Th>
              <Table.Th>Items</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((project) => (
              <Table.Tr key={project.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/projects/${project.id}`} fw={500}>
                    {project.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={project.role} />
                </Table.Td>
                <Table.Td>{project.questions.length}</Table.Td>
                <Table.Td>{project.item_count}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed" mt="xs">
        Showing {rows.length} of {total}
      </Text>
      <LoadMore
        hasMore={projects.hasNextPage}
        loading={projects.isFetchingNextPage}
        onLoadMore={() => void projects.fetchNextPage()}
      />
    </>
  );
}
