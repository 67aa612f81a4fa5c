import { Alert, Button, Group, Select, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { isApiError } from "@/api/client";
import type { Role } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { splitFieldErrors } from "@/features/projects/utils/field-errors";
import { ROLES } from "@/features/projects/utils/roles";
import { useAddMember } from "../api/add-member";
import { memberPermissions, ROLE_DESCRIPTIONS } from "../utils/permissions";

export function AddMemberForm({ projectId, callerRole }: { projectId: number; callerRole: string | null }) {
  const permissions = memberPermissions(callerRole);
  const addMember = useAddMember(projectId);
  const [other, setOther] = useState<string[]>([]);
  const [added, setAdded] = useState<string | null>(null);
  const form = useForm({
    initialValues: { username: "", role: "annotator" as Role },
    validate: { username: (value) => (value.trim() ? null : "Enter a username") },
  });

  const handleSubmit = form.onSubmit((values) => {
    setOther([]);
    setAdded(null);
    const username = values.username.trim();
    addMember.mutate(
      { username, role: values.role },
      {
        onSuccess: () => {
          setAdded(`${username} was added as ${values.role}.`);
          form.reset();
        },
        onError: (error) => {
          if (isApiError(error, 400)) {
            const { fields, other: rest } = splitFieldErrors(error.body, ["username", "role"] as const);
            form.setErrors(fields);
            setOther(rest);
          } else {
            setOther([errorMessage(error)]);
          }
        },
      },
    );
  });

  const disabled = !permissions.canManage;
  return (
    <form onSubmit={handleSubmit} noValidate aria-label="Add member">
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label="Username"
          placeholder="An existing account"
          disabled={disabled}
          style={{ flex: "1 1 200px" }}
          {...form.getInputProps("username")}
        />
        <Select
          label="Role"
          data={ROLES.map((role) => ({
            value: role,
            label: `${role} — ${ROLE_DESCRIPTIONS[role]}`,
            disabled: !permissions.canGrant(role),
          }))}
          allowDeselect={false}
          disabled={disabled}
          style={{ flex: "1 1 260px" }}
          {...form.getInputProps("role")}
        />
        <Button type="submit" mt={25} loading={addMember.isPending} disabled={disabled}>
          Add member
        </Button>
      </Group>
      {other.length > 0 && (
        <Alert color="red" mt="sm" role="alert" title="The member was not added">
          {other.join("\n")}
        </Alert>
      )}
      {added && (
        <Alert color="teal" mt="sm" role="status">
          {added}
        </Alert>
      )}
    </form>
  );
}
