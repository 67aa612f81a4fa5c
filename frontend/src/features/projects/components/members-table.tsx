import { Table, Text } from "@mantine/core";
import { DateTime } from "@/components/ui/date-time";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useMembers } from "../api/get-members";
import { RoleBadge } from "./role-badge";

export function MembersTable({ projectId }: { projectId: number }) {
  const members = useMembers(projectId);

  if (members.isPending) {
    return <PageLoader label="Loading members" />;
  }
  if (members.isError) {
    return (
      <QueryError
        error={members.error}
        title="Could not load members"
        onRetry={() => void members.refetch()}
      />
    );
  }

  const rows = members.data.pages.flatMap((page) => page.results);
  if (rows.length === 0) {
    return <Text c="dimmed">No members.</Text>;
  }
  return (
    <>
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing="xs" aria-label="Members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Member since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((member) => (
              <Table.Tr key={member.id}>
                <Table.Td>{member.user.username}</Table.Td>
                <Table.Td>
                  <RoleBadge role={member.role} />
                </Table.Td>
                <Table.Td>
                  <DateTime value={member.created_at} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore
        hasMore={members.hasNextPage}
        loading={members.isFetchingNextPage}
        onLoadMore={() => void members.fetchNextPage()}
      />
    </>
  );
}
