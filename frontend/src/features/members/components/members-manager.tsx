import { Alert, Button, Group, Modal, Paper, Select, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { GoldAccuracy, Membership, Project, Role } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { errorMessage } from "@/components/ui/error-message";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useCurrentUser } from "@/features/auth/hooks/use-current-user";
import { useMembers } from "@/features/projects/api/get-members";
import { RoleBadge } from "@/features/projects/components/role-badge";
import { flattenErrors } from "@/features/projects/utils/field-errors";
import { isRole, ROLES } from "@/features/projects/utils/roles";
import { useChangeMemberRole } from "../api/change-member-role";
import { useGoldAccuracy } from "../api/get-gold-accuracy";
import { useRemoveMember } from "../api/remove-member";
import { memberPermissions } from "../utils/permissions";
import { AddMemberForm } from "./add-member-form";

function describeFailure(action: string, error: unknown): string {
  if (isApiError(error, 400)) {
    // The field is clear from the action (role, username), so only the messages are shown.
    const lines = isRecord(error.body) ? Object.values(error.body).flatMap((value) => flattenErrors(value)) : [];
    if (lines.length) {
      return `${action}: ${lines.join(" ")}`;
    }
  }
  return `${action}: ${errorMessage(error)}`;
}

function GoldCell({ row }: { row: GoldAccuracy | undefined }) {
  if (!row || row.answered === 0 || row.accuracy === null) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Text size="sm">
      {Math.round(row.accuracy * 100)}%{" "}
      <Text span size="xs" c="dimmed">
        ({row.correct} of {row.answered})
      </Text>
    </Text>
  );
}

export function MembersManager({ project }: { project: Project }) {
  const me = useCurrentUser();
  const members = useMembers(project.id);
  const changeRole = useChangeMemberRole(project.id);
  const removeMember = useRemoveMember(project.id);
  const [failure, setFailure] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Membership | null>(null);
  const permissions = memberPermissions(project.role);
  const gold = useGoldAccuracy(project.id);
  const goldByUser = new Map((gold.data ?? []).map((row) => [row.annotator, row]));

  const handleRoleChange = (member: Membership, role: Role) => {
    setFailure(null);
    changeRole.mutate(
      { memberId: member.id, role },
      { onError: (error) => setFailure(describeFailure(`Could not change ${member.user.username}'s role`, error)) },
    );
  };

  const confirmRemove = () => {
    if (!removing) return;
    const member = removing;
    setFailure(null);
    removeMember.mutate(member.id, {
      onSuccess: () => setRemoving(null),
      onError: (error) => {
        setRemoving(null);
        setFailure(describeFailure(`Could not remove ${member.user.username}`, error));
      },
    });
  };

  let body;
  if (members.isPending) {
    body = <PageLoader label="Loading members" />;
  } else if (members.isError) {
    body = <QueryError error={members.error} title="Could not load members" onRetry={() => void members.refetch()} />;
  } else {
    const rows = members.data.pages.flatMap((page) => page.results);
    body = (
      <>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Gold accuracy</Table.Th>
                <Table.Th>Member since</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((member) => {
                const editable = permissions.canEditMember(member.role);
                const busy =
                  (changeRole.isPending && changeRole.variables.memberId === member.id) ||
                  (removeMember.isPending && removeMember.variables === member.id);
                const name = member.user.username;
                return (
                  <Table.Tr key={member.id} data-testid="member-row">
                    <Table.Td>
                      {name}
                      {name === me.username && (
                        <Text span size="xs" c="dimmed">
                          {" "}
                          (you)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {permissions.canManage ? (
                        <Select
                          aria-label={`Role of ${name}`}
                          data={ROLES.map((role) => ({ value: role, label: role, disabled: !permissions.canGrant(role) }))}
                          value={member.role}
                          onChange={(value) => isRole(value) && value !== member.role && handleRoleChange(member, value)}
                          allowDeselect={false}
                          disabled={!editable || busy}
                          size="xs"
                          maw={160}
                        />
                      ) : (
                        <RoleBadge role={member.role} />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <GoldCell row={goldByUser.get(name)} />
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={member.created_at} />
                    </Table.Td>
                    <Table.Td>
                      {permissions.canManage && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${name}`}
                          disabled={!editable || busy}
                          onClick={() => setRemoving(member)}
                        >
                          Remove
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
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

  return (
    <Stack>
      {!permissions.canManage && (
        <Alert color="blue">Only managers and owners can add members or change roles.</Alert>
      )}
      {permissions.canManage && project.role !== "owner" && (
        <Text size="sm" c="dimmed">
          Only owners can grant, change or remove the owner role.
        </Text>
      )}
      {failure && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setFailure(null)} closeButtonLabel="Dismiss">
          {failure}
        </Alert>
      )}
      {body}
      <Paper withBorder p="md" component="section" aria-labelledby="add-member-title">
        <Title order={2} size="h4" mb="sm" id="add-member-title">
          Add a member
        </Title>
        <AddMemberForm projectId={project.id} callerRole={project.role} />
      </Paper>
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing ? `Remove ${removing.user.username}?` : ""}
      >
        <Stack>
          <Text size="sm">
            They lose access to this project. Their annotations stay. You can add them again later.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button color="red" loading={removeMember.isPending} onClick={confirmRemove}>
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
