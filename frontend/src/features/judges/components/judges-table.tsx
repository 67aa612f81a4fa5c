import { Anchor, Badge, Group, Table, Text } from "@mantine/core";
import type { Judge, Project } from "@/api/types";
import { kindLabel } from "../utils/kinds";
import { RunSummary } from "./run-progress";

interface JudgesTableProps {
  project: Project;
  judges: Judge[];
  selectedId: number | null;
  onSelect: (judge: Judge) => void;
}

/**
 * The project's judges with their questions and latest run (from the judges list itself, kept
 * current by live events); a name opens the judge below.
 */
export function JudgesTable({ project, judges, selectedId, onSelect }: JudgesTableProps) {
  const prompts = new Map(project.questions.map((question) => [question.id, question.prompt || question.id]));
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" aria-label="Judges" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Questions</Table.Th>
            <Table.Th>Latest run</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {judges.map((judge) => {
            const selected = judge.id === selectedId;
            return (
              <Table.Tr key={judge.id} data-testid="judge-row" bg={selected ? "var(--mantine-color-default-hover)" : undefined}>
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    fw={selected ? 700 : 500}
                    aria-current={selected ? "true" : undefined}
                    onClick={() => onSelect(judge)}
                  >
                    {judge.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{kindLabel(judge.kind)}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {judge.questions.map((id) => (
                      <Badge key={id} variant="outline" color="gray" tt="none" title={prompts.get(id) ?? "Not in the project any more"}>
                        {id}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {judge.latest_run ? (
                    <RunSummary run={judge.latest_run} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      Never run
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
